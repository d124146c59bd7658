#include "http/static_files.hpp"

#include "http/responses.hpp"

#include <sys/stat.h>
#include <fstream>
#include <sstream>

namespace voxpop {
namespace fs = std::filesystem;

std::optional<std::string> percent_decode_path(std::string_view path) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(path.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size()) return std::nullopt;
            int high = hex(path[i + 1]), low = hex(path[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

StaticFiles::StaticFiles(const std::string& root) : root_(fs::canonical(root)) {}

std::optional<fs::path> StaticFiles::resolve(std::string_view decoded_path) const {
    if (decoded_path.empty() || decoded_path.front() != '/') return std::nullopt;
    if (decoded_path.find('\\') != std::string_view::npos) return std::nullopt;
    fs::path relative;
    std::size_t start = 1;
    while (start <= decoded_path.size()) {
        auto end = decoded_path.find('/', start);
        if (end == std::string_view::npos) end = decoded_path.size();
        std::string_view segment = decoded_path.substr(start, end - start);
        if (segment == "..") return std::nullopt;
        if (!segment.empty() && segment != ".") relative /= std::string(segment);
        start = end + 1;
    }
    fs::path candidate = root_ / relative;
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) candidate /= "index.html";
    fs::path real = fs::canonical(candidate, ec);
    if (ec || !fs::is_regular_file(real, ec)) return std::nullopt;
    // A symlink may point anywhere: the real path must still be inside the root.
    auto [root_end, real_it] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
    if (root_end != root_.end()) return std::nullopt;
    return real;
}

std::string_view StaticFiles::content_type(const fs::path& file) {
    static const std::pair<std::string_view, std::string_view> kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    };
    auto extension = file.extension().string();
    for (const auto& [ext, type] : kTypes)
        if (extension == ext) return type;
    return "application/octet-stream";
}

std::optional<std::string_view> StaticFiles::page_for(std::string_view path) {
    static const std::pair<std::string_view, std::string_view> kPages[] = {
        {"/e/", "/attendee.html"}, {"/host/", "/host.html"}, {"/present/", "/present.html"}};
    for (const auto& [prefix, page] : kPages)
        if (path.substr(0, prefix.size()) == prefix && path.size() > prefix.size() &&
            path.find('/', prefix.size()) == std::string_view::npos)
            return page;
    return std::nullopt;
}

HttpResponse StaticFiles::not_found_page(unsigned version) const {
    std::string body;
    if (auto page = resolve("/404.html")) {
        std::ifstream in(*page, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        body = text.str();
    } else {
        body = "<!doctype html><title>Not found</title><h1>Not found</h1>";
    }
    return body_response(http::status::not_found, std::move(body), "text/html; charset=utf-8",
                         version);
}

HttpResponse StaticFiles::serve(const HttpRequest& request, std::string_view path) const {
    const unsigned version = request.version();
    if (request.method() != http::verb::get && request.method() != http::verb::head)
        return error_response(http::status::method_not_allowed, "method_not_allowed",
                              "Static files are read-only.", version);
    auto decoded = percent_decode_path(path);
    if (!decoded)
        return error_response(http::status::bad_request, "bad_request", "Malformed path.", version);
    std::string_view lookup = *decoded;
    if (auto page = page_for(lookup)) lookup = *page;
    auto file = resolve(lookup);
    if (!file) return not_found_page(version);

    struct stat info {};
    if (::stat(file->c_str(), &info) != 0) return not_found_page(version);
    std::ostringstream tag;
    tag << '"' << std::hex << info.st_size << '-' << info.st_mtim.tv_sec << '-'
        << info.st_mtim.tv_nsec << '"';
    const std::string etag = tag.str();

    if (request[http::field::if_none_match] == etag) {
        HttpResponse response{http::status::not_modified, version};
        response.set(http::field::etag, etag);
        response.set(http::field::cache_control, "no-cache");
        return response;
    }
    std::ifstream in(*file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    auto response = body_response(http::status::ok, content.str(), content_type(*file), version);
    response.set(http::field::etag, etag);
    response.set(http::field::cache_control, "no-cache");
    if (request.method() == http::verb::head) {
        auto length = response.body().size();
        response.body().clear();
        response.content_length(length);
    }
    return response;
}

}  // namespace voxpop
