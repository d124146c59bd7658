#pragma once

#include "app/app.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace voxpop {

// Each adds the routes of one resource; see docs/API.md.
void add_event_routes(Router& router, App& app);
void add_poll_routes(Router& router, App& app);
void add_response_routes(Router& router, App& app);
void add_export_routes(Router& router, App& app);
void add_question_routes(Router& router, App& app);
void add_system_routes(Router& router, App& app);
void add_admin_routes(Router& router, App& app);

// All of the above, plus static files and short links (/{CODE}) as the fallback.
void register_routes(Router& router, App& app, const StaticFiles& files);

}  // namespace voxpop
