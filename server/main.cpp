// voxpop: a self-hosted live audience interaction server. main only parses the command
// line and wires the parts together; everything else lives in the voxpop_core library.
#include "app/app.hpp"
#include "config/config.hpp"
#include "net/server.hpp"
#include "storage/backup.hpp"
#include "storage/migrations.hpp"
#include "util/logging.hpp"
#include "util/version.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

extern char** environ;

int main(int argc, char** argv) {
    using namespace voxpop;
    std::vector<std::string> args(argv + 1, argv + argc);
    // `voxpop backup FILE [--db …]`: an online copy of the database, safe while serving.
    std::string backup_target;
    if (!args.empty() && args.front() == "backup") {
        if (args.size() < 2 || args[1].rfind("--", 0) == 0) {
            std::cerr << "usage: voxpop backup FILE [--config FILE] [--db PATH]\n";
            return 2;
        }
        backup_target = args[1];
        args.erase(args.begin(), args.begin() + 2);
    }
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) env.emplace_back(*entry);

    CommandLine command;
    try {
        command = load_config(args, env);
        if (command.show_help) {
            std::cout << config_help();
            return 0;
        }
        if (command.show_version) {
            std::cout << "voxpop " << kVersion << '\n';
            return 0;
        }
        if (!backup_target.empty()) {
            backup_database(command.config.db, backup_target);
            std::cout << "voxpop: backed up " << command.config.db << " to " << backup_target
                      << " (integrity ok)\n";
            return 0;
        }
        validate_config(command.config);
    } catch (const ConfigError& error) {
        std::cerr << "voxpop: configuration error: " << error.what() << '\n';
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "voxpop: backup failed: " << error.what() << '\n';
        return 1;
    }

    setup_logging(command.config.log_level);
    for (const auto& warning : command.warnings) spdlog::warn("{}", warning);
    try {
        raise_open_file_limit();
        App app(command.config);
        Server server(app);
        server.start();
        server.run();
        spdlog::info("voxpop stopped cleanly");
        return 0;
    } catch (const MigrationError& error) {
        spdlog::critical("database: {}", error.what());
        return 2;
    } catch (const std::exception& error) {
        spdlog::critical("voxpop failed: {}", error.what());
        return 1;
    }
}
