#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace voxpop {

// The address a request really comes from. The TCP peer, unless that peer is one of the
// configured trusted proxies: then the rightmost X-Forwarded-For entry that is not itself
// a trusted proxy (entries further left are whatever the client chose to send, so they
// are never believed). Without trusted proxies X-Forwarded-For is ignored entirely.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace voxpop
