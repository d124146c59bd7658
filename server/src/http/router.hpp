#pragma once

#include "http/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace voxpop {

// One request as a handler sees it.
struct RequestContext {
    const HttpRequest& request;
    std::vector<std::string> params;  // the {placeholders} of the pattern, in order
    Reply reply;
    std::string_view path;  // target without the query
    std::string_view query;

    // A path parameter as a positive id; throws not_found otherwise.
    std::int64_t id_param(std::size_t index, const char* what) const;
};

using Handler = std::function<void(RequestContext&)>;

// Routes by method and path pattern ("/api/polls/{id}/results"). A path matching a pattern
// with another method gets 405; no match goes to the fallback (static files). A handler's
// ApiError becomes the JSON error response; other exceptions a 500.
class Router {
  public:
    void add(http::verb method, std::string_view pattern, Handler handler);
    void set_fallback(Handler handler) { fallback_ = std::move(handler); }
    void dispatch(const HttpRequest& request, Reply reply) const;
    // Runs the fallback for a request a handler decided not to take.
    void fallback(RequestContext& context) const { fallback_(context); }

  private:
    struct Route {
        http::verb method;
        std::vector<std::string> segments;
        Handler handler;
    };
    static bool match(const Route& route, const std::vector<std::string_view>& segments,
                      std::vector<std::string>& params);
    std::vector<Route> routes_;
    Handler fallback_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace voxpop
