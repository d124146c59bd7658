#pragma once

#include <stdexcept>
#include <string>

namespace voxpop {

// A refusal the client can act on: HTTP status, stable snake_case code, human sentence.
// The HTTP API and the WebSocket acks both render it; nothing is changed when one is thrown.
class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    // Seconds a client should wait before retrying (429); 0 when not applicable.
    int retry_after() const { return retry_after_; }
    ApiError&& with_retry_after(int seconds) && {
        retry_after_ = seconds;
        return std::move(*this);
    }

  private:
    int status_;
    std::string code_;
    int retry_after_ = 0;
};

inline ApiError invalid_field(const std::string& field, const std::string& problem) {
    return ApiError(400, "invalid_field", "Field '" + field + "' " + problem + ".");
}
inline ApiError not_found(const std::string& what) {
    return ApiError(404, "not_found", what + " not found.");
}
inline ApiError unauthorized(const std::string& message) {
    return ApiError(401, "unauthorized", message);
}
inline ApiError storage_unavailable() {
    return ApiError(503, "storage_unavailable",
                    "The database cannot be written right now; nothing was changed. Try again.");
}

}  // namespace voxpop
