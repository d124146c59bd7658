#include "util/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace voxpop {
namespace {

void fill_random(unsigned char* out, int size) {
    if (RAND_bytes(out, size) != 1) throw std::runtime_error("RAND_bytes failed");
}

}  // namespace

std::string random_token(std::string_view prefix) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::array<unsigned char, 43> bytes{};  // 43 * 6 bits = 258 bits
    fill_random(bytes.data(), static_cast<int>(bytes.size()));
    std::string token(prefix);
    token.reserve(prefix.size() + bytes.size());
    for (unsigned char b : bytes) token.push_back(kAlphabet[b & 63]);
    return token;
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned i = 0; i < length; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 15]);
    }
    return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

unsigned random_below(unsigned bound) {
    // Rejection sampling keeps the distribution uniform.
    const unsigned limit = UINT32_MAX - UINT32_MAX % bound;
    for (;;) {
        unsigned value = 0;
        fill_random(reinterpret_cast<unsigned char*>(&value), sizeof value);
        if (value < limit) return value % bound;
    }
}

}  // namespace voxpop
