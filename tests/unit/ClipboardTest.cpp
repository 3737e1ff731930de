// The terminal's clipboard (OSC 52): the draft's bytes in base64 between ESC ] 52 ; c ; and BEL.
#include "core/Clipboard.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace fbtrack;

TEST(Clipboard, Osc52CarriesTheBytesInBase64) {
    EXPECT_EQ(osc52_sequence(""), "\x1b]52;c;\a");
    EXPECT_EQ(osc52_sequence("f"), "\x1b]52;c;Zg==\a");
    EXPECT_EQ(osc52_sequence("fo"), "\x1b]52;c;Zm8=\a");
    EXPECT_EQ(osc52_sequence("foo"), "\x1b]52;c;Zm9v\a");
    EXPECT_EQ(osc52_sequence("評価"), "\x1b]52;c;6KmV5L6h\a");
}

TEST(Clipboard, WithoutADesktopATerminalGetsOsc52AndAPipeNothing) {
    ::setenv("WAYLAND_DISPLAY", "", 1);
    ::setenv("DISPLAY", "", 1);
    std::ostringstream terminal, pipe;
    EXPECT_EQ(copy_to_clipboard("draft", terminal, true).way, ClipboardResult::Way::terminal);
    EXPECT_EQ(terminal.str(), osc52_sequence("draft"));
    EXPECT_EQ(copy_to_clipboard("draft", pipe, false).way, ClipboardResult::Way::none);
    EXPECT_EQ(pipe.str(), "");
}
