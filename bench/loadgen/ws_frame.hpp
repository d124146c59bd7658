#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// The WebSocket framing (RFC 6455 §5) of the load generator's data phase, done by hand
// after Beast has done the HTTP upgrade. Why not Beast's websocket::stream here: the load
// generator shares two cores with the server it measures, and Beast's composed read (frame
// parser, UTF-8 validation, per-message operation objects) cost it about as much CPU per
// frame as the kernel did, which showed up as latency in every figure it measured. A
// client that only needs to count and time small text frames can read many frames per
// recv() and parse a two-byte header instead.
namespace loadgen::wire {

enum class Opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

struct Frame {
    bool fin = true;
    Opcode opcode = Opcode::text;
    std::string_view payload;  // points into the parsed data
};

enum class ParseStatus { frame, incomplete, protocol_error, too_big };

struct ParseResult {
    ParseStatus status;
    std::size_t size = 0;  // bytes the frame spans, when status is frame
};

// Parses the frame at the front of `data` as a client receives it (unmasked, RSV bits 0,
// control frames short and unfragmented).
ParseResult parse_server_frame(std::string_view data, std::size_t max_payload, Frame& frame);

// Appends one final client frame, masked with `mask` as RFC 6455 §5.3 requires.
void append_client_frame(std::string& out, Opcode opcode, std::string_view payload,
                         std::uint32_t mask);

}  // namespace loadgen::wire
