#pragma once

#include <string>
#include <string_view>

namespace voxpop {

// A URL-safe random token with a readable prefix ("mt_", "pt_"), 256 bits from the OS CSPRNG.
std::string random_token(std::string_view prefix);

// Hex SHA-256. Tokens carry 256 bits of entropy, so a plain hash (no salt, no KDF) is enough
// to make a stolen database useless for impersonation.
std::string sha256_hex(std::string_view data);

// Comparison whose duration does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Uniform random integer in [0, bound) from the CSPRNG.
unsigned random_below(unsigned bound);

}  // namespace voxpop
