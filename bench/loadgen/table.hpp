#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace loadgen {

// The Markdown table of docs/BENCHMARKS.md: one row per result (loadgen JSON results, plus
// the {"scenario":"restart"|"rest",…} files bench/run.sh writes), with the target
// for that scenario, the measured figures and whether the target is met at the size run.
// Several runs of ingest or rest make one row: the median run's, with every run's figure.
std::string benchmarks_table(const std::vector<nlohmann::json>& results);

}  // namespace loadgen
