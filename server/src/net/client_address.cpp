#include "net/client_address.hpp"

#include <algorithm>

namespace voxpop {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool is_trusted(std::string_view address, const std::vector<std::string>& trusted_proxies) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
           trusted_proxies.end();
}

}  // namespace

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
    if (!is_trusted(peer, trusted_proxies)) return std::string(peer);
    std::string_view candidate = peer;
    // Walk from the right: each hop appended the address it saw.
    while (!forwarded_for.empty()) {
        auto comma = forwarded_for.rfind(',');
        std::string_view hop =
            trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for =
            comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        if (hop.empty()) break;
        candidate = hop;
        if (!is_trusted(hop, trusted_proxies)) break;
    }
    return std::string(candidate);
}

}  // namespace voxpop
