#include "config/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace voxpop {
namespace {

std::string key_of_error(const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {}) {
    try {
        load_config(args, env);
    } catch (const ConfigError& error) {
        return error.key();
    }
    return "";
}

TEST(Config, DefaultsServeTheRunCommand) {
    auto command = load_config({}, {});
    EXPECT_EQ(command.config.address, "0.0.0.0");
    EXPECT_EQ(command.config.port, 8080);
    EXPECT_EQ(command.config.db, "./data/voxpop.db");
    EXPECT_EQ(command.config.sqlite_synchronous, "full");
}

TEST(Config, FlagsBeatEnvironmentWhichBeatsTheFile) {
    auto dir = std::filesystem::temp_directory_path() / "voxpop-config-test";
    std::filesystem::create_directories(dir);
    auto file = dir / "c.json";
    std::ofstream(file) << R"({"port": 1000, "threads": 3, "log_level": "warn"})";
    auto command = load_config({"--config", file.string(), "--port", "3000"},
                               {"VOXPOP_PORT=2000", "VOXPOP_THREADS=4", "PATH=/bin"});
    EXPECT_EQ(command.config.port, 3000);
    EXPECT_EQ(command.config.threads, 4);
    EXPECT_EQ(command.config.log_level, "warn");
    std::filesystem::remove_all(dir);
}

TEST(Config, FlagsTakeDashesAndEqualsSigns) {
    auto command = load_config(
        {"--max-body-bytes=2048", "--allowed-origins", "https://a.example,https://b.example"}, {});
    EXPECT_EQ(command.config.max_body_bytes, 2048);
    ASSERT_EQ(command.config.allowed_origins.size(), 2u);
    EXPECT_EQ(command.config.allowed_origins[1], "https://b.example");
}

TEST(Config, ErrorsNameTheKey) {
    EXPECT_EQ(key_of_error({"--port", "70000"}), "port");
    EXPECT_EQ(key_of_error({"--port", "80a"}), "port");
    EXPECT_EQ(key_of_error({"--no-such-key", "1"}), "no_such_key");
    EXPECT_EQ(key_of_error({}, {"VOXPOP_LOG_LEVEL=loud"}), "log_level");
    auto shared_env = load_config({}, {"VOXPOP_BIN=/usr/bin/x"});
    ASSERT_EQ(shared_env.warnings.size(), 1u)
        << "unknown environment names are reported, not fatal";
    EXPECT_EQ(key_of_error({"--access-log", "maybe"}), "access_log");
    EXPECT_EQ(key_of_error({"--port"}), "port");
}

TEST(Config, JsonFileRejectsWrongTypesAndUnknownKeys) {
    Config config;
    EXPECT_THROW(apply_json_config(config, R"({"port": "8080"})"), ConfigError);
    EXPECT_THROW(apply_json_config(config, R"({"prot": 8080})"), ConfigError);
    EXPECT_THROW(apply_json_config(config, R"([1,2])"), ConfigError);
    EXPECT_THROW(apply_json_config(config, R"({"allowed_origins": [1]})"), ConfigError);
    apply_json_config(config, R"({"_comment": "docs", "port": 9000})");
    EXPECT_EQ(config.port, 9000);
}

TEST(Config, ShippedConfigFileParsesToTheDefaults) {
    Config from_file;
    std::ifstream in(std::string(VOXPOP_SOURCE_DIR) + "/config/voxpop.json");
    std::stringstream text;
    text << in.rdbuf();
    apply_json_config(from_file, text.str());
    Config defaults;
    EXPECT_EQ(from_file.port, defaults.port);
    EXPECT_EQ(from_file.db, defaults.db);
    EXPECT_EQ(from_file.max_body_bytes, defaults.max_body_bytes);
    EXPECT_EQ(from_file.results_interval_ms, defaults.results_interval_ms);
}

TEST(Config, ValidationCreatesTheDbDirectoryAndRefusesAnUnwritableOne) {
    auto dir = std::filesystem::temp_directory_path() / "voxpop-validate-test";
    std::filesystem::remove_all(dir);
    Config config;
    config.web_root = std::string(VOXPOP_SOURCE_DIR) + "/web";
    config.db = (dir / "nested" / "v.db").string();
    validate_config(config);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "nested"));

    config.db = "/proc/voxpop/v.db";
    try {
        validate_config(config);
        FAIL() << "an impossible db directory was accepted";
    } catch (const ConfigError& error) {
        EXPECT_EQ(error.key(), "db");
    }
    config.db = (dir / "v.db").string();
    config.web_root = (dir / "missing").string();
    try {
        validate_config(config);
        FAIL() << "a missing web root was accepted";
    } catch (const ConfigError& error) {
        EXPECT_EQ(error.key(), "web_root");
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace voxpop
