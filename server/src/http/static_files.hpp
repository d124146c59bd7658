#pragma once

#include "http/types.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace voxpop {

// Decodes %XX escapes of a URL path. nullopt for a malformed escape or a NUL byte.
std::optional<std::string> percent_decode_path(std::string_view path);

// Serves the web root. Nothing outside it is ever read: ".." segments (plain or encoded),
// NUL bytes and symlinks that lead out are refused.
class StaticFiles {
  public:
    explicit StaticFiles(const std::string& root);

    HttpResponse serve(const HttpRequest& request, std::string_view path) const;

    // The file that `path` names inside the root, or nullopt (also for anything unsafe).
    // Exposed for tests.
    std::optional<std::filesystem::path> resolve(std::string_view decoded_path) const;

    static std::string_view content_type(const std::filesystem::path& file);

  private:
    HttpResponse not_found_page(unsigned version) const;
    // The page shell for app routes: /e/{code}, /host/{code}, /present/{code}.
    static std::optional<std::string_view> page_for(std::string_view path);

    std::filesystem::path root_;
};

}  // namespace voxpop
