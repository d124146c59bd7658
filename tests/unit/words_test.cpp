#include "domain/words.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

TEST(NormalizeWord, CaseFoldsTrimsAndCollapsesWhiteSpace) {
    EXPECT_EQ(*normalize_word("  Deep   Learning "), "deep learning");
    EXPECT_EQ(*normalize_word("GANs"), "gans");
    EXPECT_EQ(*normalize_word("Straße"), "strasse");
    EXPECT_EQ(*normalize_word("a\tb\nc"), "a b c");
}

TEST(NormalizeWord, FullWidthAndCompatibilityFormsFold) {
    EXPECT_EQ(*normalize_word("ＧＡＮ"), "gan");    // full-width letters
    EXPECT_EQ(*normalize_word("ﬁne"), "fine");      // ligature
    EXPECT_EQ(*normalize_word("a\u3000b"), "a b");  // ideographic space
}

TEST(NormalizeWord, ComposedAndDecomposedAccentsAreOneWord) {
    EXPECT_EQ(*normalize_word("caf\u00e9"), *normalize_word("cafe\u0301"));
    EXPECT_EQ(*normalize_word("Caf\u00c9"), "caf\u00e9");
}

TEST(NormalizeWord, EmojiSurviveAndInvalidInputIsRefused) {
    EXPECT_EQ(*normalize_word("🚀 AI"), "🚀 ai");
    EXPECT_EQ(*normalize_word("👩‍🔬"), "👩‍🔬");  // ZWJ sequence kept whole
    EXPECT_FALSE(normalize_word("\xff\xfe"));
    EXPECT_FALSE(normalize_word("bell\x07"));
    EXPECT_EQ(*normalize_word("   "), "");
}

TEST(Utf8Length, CountsCodePoints) {
    EXPECT_EQ(*utf8_length("abc"), 3u);
    EXPECT_EQ(*utf8_length("é🚀"), 2u);
    EXPECT_FALSE(utf8_length("\xc3"));
}

}  // namespace
}  // namespace voxpop
