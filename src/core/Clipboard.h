#pragma once
// Putting a draft on the seller's clipboard, so that it is pasted into Seller Central as printed:
// the desktop's clipboard tool where there is one, else the terminal's own clipboard (OSC 52).
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace fbtrack {

// The desktop's clipboard tool, found on PATH: wl-copy under Wayland (WAYLAND_DISPLAY), xclip or
// xsel under X (DISPLAY). None without a desktop or a tool.
struct ClipboardTool {
    std::filesystem::path program;
    std::string name;  // "wl-copy", "xclip", "xsel"
};
std::optional<ClipboardTool> find_clipboard_tool();

// Runs the tool (no shell) with `text` on its stdin; false when it could not be run, failed, or
// took over 5 seconds (an X tool waiting for a display that does not answer).
bool copy_with_tool(const ClipboardTool& tool, const std::string& text);

// The escape sequence that asks a terminal to put `text` on its clipboard: ESC ] 52 ; c ; base64 BEL.
std::string osc52_sequence(const std::string& text);

struct ClipboardResult {
    enum class Way { tool, terminal, none } way = Way::none;
    std::string tool;  // the tool's name, for Way::tool
};
// The tool where there is one and it works; else OSC 52 written to `terminal` when
// `terminal_is_a_tty`; else none.
ClipboardResult copy_to_clipboard(const std::string& text, std::ostream& terminal, bool terminal_is_a_tty);

}  // namespace fbtrack
