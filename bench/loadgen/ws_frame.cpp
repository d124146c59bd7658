#include "ws_frame.hpp"

namespace loadgen::wire {

ParseResult parse_server_frame(std::string_view data, std::size_t max_payload, Frame& frame) {
    if (data.size() < 2) return {ParseStatus::incomplete};
    const auto b0 = static_cast<std::uint8_t>(data[0]);
    const auto b1 = static_cast<std::uint8_t>(data[1]);
    if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) return {ParseStatus::protocol_error};
    frame.fin = (b0 & 0x80) != 0;
    frame.opcode = static_cast<Opcode>(b0 & 0x0F);
    const bool control = (b0 & 0x08) != 0;
    std::size_t header = 2;
    std::uint64_t length = b1 & 0x7F;
    if (length >= 126) {
        const std::size_t extra = length == 126 ? 2 : 8;
        if (data.size() < header + extra) return {ParseStatus::incomplete};
        length = 0;
        for (std::size_t i = 0; i < extra; ++i)
            length = (length << 8) | static_cast<std::uint8_t>(data[header + i]);
        header += extra;
    }
    if (control && (length > 125 || !frame.fin)) return {ParseStatus::protocol_error};
    if (length > max_payload) return {ParseStatus::too_big};
    if (data.size() - header < length) return {ParseStatus::incomplete};
    frame.payload = data.substr(header, static_cast<std::size_t>(length));
    return {ParseStatus::frame, header + static_cast<std::size_t>(length)};
}

void append_client_frame(std::string& out, Opcode opcode, std::string_view payload,
                         std::uint32_t mask) {
    out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
    const std::uint64_t length = payload.size();
    if (length < 126) {
        out.push_back(static_cast<char>(0x80 | length));
    } else if (length <= 0xFFFF) {
        out.push_back(static_cast<char>(0x80 | 126));
        out.push_back(static_cast<char>(length >> 8));
        out.push_back(static_cast<char>(length & 0xFF));
    } else {
        out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.push_back(static_cast<char>((length >> shift) & 0xFF));
    }
    const char key[4] = {static_cast<char>(mask >> 24), static_cast<char>(mask >> 16),
                         static_cast<char>(mask >> 8), static_cast<char>(mask)};
    out.append(key, 4);
    const std::size_t start = out.size();
    out.append(payload);
    for (std::size_t i = 0; i < payload.size(); ++i) out[start + i] ^= key[i % 4];
}

}  // namespace loadgen::wire
