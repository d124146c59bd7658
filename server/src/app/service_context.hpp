#pragma once

#include "config/config.hpp"
#include "domain/live_notifier.hpp"
#include "domain/registry.hpp"
#include "storage/writer.hpp"

#include <nlohmann/json.hpp>

#include <functional>

namespace voxpop {

// Completion of a write: the refusal, or the JSON body describing the committed result.
// Called on the writer thread after the commit.
using Done = std::function<void(const Writer::Outcome&, nlohmann::json)>;

// What every service needs; owned by App.
struct ServiceContext {
    const Config& config;
    Registry& registry;
    Writer& writer;
    LiveNotifier& live;
};

}  // namespace voxpop
