#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace voxpop {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        base_ = fs::temp_directory_path() / ("voxpop-static-" + std::to_string(::getpid()));
        fs::create_directories(base_ / "root" / "css");
        std::ofstream(base_ / "root" / "index.html") << "home";
        std::ofstream(base_ / "root" / "css" / "app.css") << "body{}";
        std::ofstream(base_ / "secret.txt") << "secret";
        fs::create_symlink(base_ / "secret.txt", base_ / "root" / "leak.txt");
        fs::create_directory_symlink(base_, base_ / "root" / "up");
        files_ = std::make_unique<StaticFiles>((base_ / "root").string());
    }
    void TearDown() override { fs::remove_all(base_); }

    fs::path base_;
    std::unique_ptr<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ResolvesFilesAndDirectoryIndex) {
    EXPECT_EQ(files_->resolve("/css/app.css")->filename(), "app.css");
    EXPECT_EQ(files_->resolve("/")->filename(), "index.html");
    EXPECT_FALSE(files_->resolve("/missing.js"));
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
    EXPECT_FALSE(files_->resolve("/../secret.txt"));
    EXPECT_FALSE(files_->resolve("/css/../../secret.txt"));
    EXPECT_FALSE(files_->resolve("/leak.txt")) << "symlink to a file outside";
    EXPECT_FALSE(files_->resolve("/up/secret.txt")) << "symlink to a directory outside";
    EXPECT_FALSE(files_->resolve("\\..\\secret.txt"));
    EXPECT_FALSE(files_->resolve("relative"));
}

TEST(PercentDecode, DecodesAndRefusesNulAndBadEscapes) {
    EXPECT_EQ(*percent_decode_path("/a%20b"), "/a b");
    EXPECT_EQ(*percent_decode_path("/%2e%2e/x"), "/../x");
    EXPECT_FALSE(percent_decode_path("/a%00b"));
    EXPECT_FALSE(percent_decode_path("/a%zz"));
    EXPECT_FALSE(percent_decode_path("/a%2"));
}

TEST(ContentType, KnowsTheWebTypes) {
    EXPECT_EQ(StaticFiles::content_type("a.html"), "text/html; charset=utf-8");
    EXPECT_EQ(StaticFiles::content_type("a.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(StaticFiles::content_type("a.svg"), "image/svg+xml");
    EXPECT_EQ(StaticFiles::content_type("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace voxpop
