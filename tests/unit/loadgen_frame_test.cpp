// The load generator's WebSocket framing (bench/loadgen/ws_frame.hpp): every benchmark
// figure depends on it reading the server's frames and writing valid client frames, so it is
// checked here against the examples of RFC 6455 §5.7.
#include "ws_frame.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace loadgen::wire;

namespace {

std::string bytes(std::initializer_list<unsigned> values) {
    std::string out;
    for (unsigned v : values) out.push_back(static_cast<char>(v));
    return out;
}

}  // namespace

TEST(LoadgenFrame, WritesTheRfcMaskedHelloByteForByte) {
    std::string out;
    append_client_frame(out, Opcode::text, "Hello", 0x37fa213d);
    EXPECT_EQ(out, bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
}

TEST(LoadgenFrame, WritesExtendedLengthsBigEndian) {
    std::string out;
    append_client_frame(out, Opcode::binary, std::string(256, 'x'), 0);
    EXPECT_EQ(out.substr(0, 4), bytes({0x82, 0xFE, 0x01, 0x00}));
    EXPECT_EQ(out.size(), 4u + 4u + 256u);
    out.clear();
    append_client_frame(out, Opcode::binary, std::string(65536, 'x'), 0);
    EXPECT_EQ(out.substr(0, 10), bytes({0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0}));
}

TEST(LoadgenFrame, ReadsTheRfcUnmaskedHelloAndWhatFollowsIt) {
    auto data = bytes({0x81, 0x05, 'H', 'e', 'l', 'l', 'o', 0x8a, 0x00});
    Frame frame;
    auto parsed = parse_server_frame(data, 1024, frame);
    ASSERT_EQ(parsed.status, ParseStatus::frame);
    EXPECT_EQ(parsed.size, 7u);
    EXPECT_TRUE(frame.fin);
    EXPECT_EQ(frame.opcode, Opcode::text);
    EXPECT_EQ(frame.payload, "Hello");
    parsed = parse_server_frame(std::string_view(data).substr(7), 1024, frame);
    ASSERT_EQ(parsed.status, ParseStatus::frame);
    EXPECT_EQ(frame.opcode, Opcode::pong);
    EXPECT_TRUE(frame.payload.empty());
}

TEST(LoadgenFrame, ReadsFragmentsAndSixteenBitLengths) {
    Frame frame;
    auto first = bytes({0x01, 0x03, 'H', 'e', 'l'});
    ASSERT_EQ(parse_server_frame(first, 1024, frame).status, ParseStatus::frame);
    EXPECT_FALSE(frame.fin);
    EXPECT_EQ(frame.opcode, Opcode::text);
    auto last = bytes({0x80, 0x02, 'l', 'o'});
    ASSERT_EQ(parse_server_frame(last, 1024, frame).status, ParseStatus::frame);
    EXPECT_TRUE(frame.fin);
    EXPECT_EQ(frame.opcode, Opcode::continuation);

    auto large = bytes({0x82, 0x7E, 0x01, 0x00}) + std::string(256, 'y');
    auto parsed = parse_server_frame(large, 1024, frame);
    ASSERT_EQ(parsed.status, ParseStatus::frame);
    EXPECT_EQ(parsed.size, 260u);
    EXPECT_EQ(frame.payload.size(), 256u);
}

TEST(LoadgenFrame, WaitsForTheRestOfAPartialFrame) {
    Frame frame;
    auto data = bytes({0x82, 0x7E, 0x01, 0x00}) + std::string(256, 'y');
    for (std::size_t cut : {0u, 1u, 3u, 4u, 259u})
        EXPECT_EQ(parse_server_frame(std::string_view(data).substr(0, cut), 1024, frame).status,
                  ParseStatus::incomplete)
            << cut;
}

TEST(LoadgenFrame, RefusesWhatAServerMustNotSend) {
    Frame frame;
    // Masked (servers never mask), a reserved bit, a fragmented or long control frame.
    EXPECT_EQ(
        parse_server_frame(bytes({0x81, 0x85, 1, 2, 3, 4, 0, 0, 0, 0, 0}), 1024, frame).status,
        ParseStatus::protocol_error);
    EXPECT_EQ(parse_server_frame(bytes({0xC1, 0x00}), 1024, frame).status,
              ParseStatus::protocol_error);
    EXPECT_EQ(parse_server_frame(bytes({0x09, 0x00}), 1024, frame).status,
              ParseStatus::protocol_error);
    EXPECT_EQ(
        parse_server_frame(bytes({0x89, 0x7E, 0x00, 0x80}) + std::string(128, 'p'), 1024, frame)
            .status,
        ParseStatus::protocol_error);
    EXPECT_EQ(parse_server_frame(bytes({0x82, 0x7E, 0x01, 0x00}), 255, frame).status,
              ParseStatus::too_big);
}
