#pragma once
// The seller's password command (as mbsync's PassCmd: "pass show shop"): fbtrack keeps the
// command, never the password, and runs it when a server asks.
#include <string>

namespace fbtrack {

// Runs the command through /bin/sh, with the terminal for its prompts, and returns the first line
// it prints. DataFileError naming `account` when it fails, prints nothing or takes over 120 s.
std::string run_password_command(const std::string& command, const std::string& account);
// For a command about to be stored (mail add, notify set): runs it once, so that one that does
// not work is found now, and refuses (UsageError) one that is plainly the password, which would
// then be kept in the database with it: the password itself, or a command that only prints text
// written in it (echo, printf, cat <<<). `option` names the command in the message.
void check_password_command(const std::string& command, const std::string& account, const std::string& option);

}  // namespace fbtrack
