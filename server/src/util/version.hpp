#pragma once

namespace voxpop {
inline constexpr const char* kVersion = "0.1.0";
}
