#include "http/router.hpp"

#include "domain/errors.hpp"
#include "http/responses.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <charconv>

namespace voxpop {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (start < path.size()) {
        if (path[start] == '/') {
            ++start;
            continue;
        }
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        segments.push_back(path.substr(start, end - start));
        start = end;
    }
    return segments;
}

std::int64_t RequestContext::id_param(std::size_t index, const char* what) const {
    const std::string& text = params.at(index);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0)
        throw not_found(std::string(what) + " " + text);
    return id;
}

void Router::add(http::verb method, std::string_view pattern, Handler handler) {
    Route route{method, {}, std::move(handler)};
    for (auto segment : split_path(pattern)) route.segments.emplace_back(segment);
    routes_.push_back(std::move(route));
}

bool Router::match(const Route& route, const std::vector<std::string_view>& segments,
                   std::vector<std::string>& params) {
    if (route.segments.size() != segments.size()) return false;
    params.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& expected = route.segments[i];
        if (!expected.empty() && expected.front() == '{')
            params.emplace_back(segments[i]);
        else if (expected != segments[i])
            return false;
    }
    return true;
}

void Router::dispatch(const HttpRequest& request, Reply reply) const {
    std::string_view target = request.target();
    auto question = target.find('?');
    RequestContext context{
        request,
        {},
        reply,
        target.substr(0, question),
        question == std::string_view::npos ? std::string_view{} : target.substr(question + 1)};
    const unsigned version = request.version();
    try {
        auto segments = split_path(context.path);
        bool path_known = false;
        for (const auto& route : routes_) {
            if (!match(route, segments, context.params)) continue;
            path_known = true;
            bool head_as_get =
                request.method() == http::verb::head && route.method == http::verb::get;
            if (route.method != request.method() && !head_as_get) continue;
            route.handler(context);
            return;
        }
        if (path_known)
            return reply(error_response(http::status::method_not_allowed, "method_not_allowed",
                                        "This route does not accept that method.", version));
        fallback_(context);
    } catch (const ApiError& error) {
        reply(error_response(error, version));
    } catch (const nlohmann::json::exception& error) {
        reply(error_response(http::status::bad_request, "invalid_json", error.what(), version));
    } catch (const std::exception& error) {
        spdlog::error("handler for {} {} failed: {}", request.method_string(), context.path,
                      error.what());
        reply(error_response(http::status::internal_server_error, "internal_error",
                             "The server failed to handle this request.", version));
    }
}

}  // namespace voxpop
