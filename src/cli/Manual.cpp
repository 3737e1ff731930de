#include "cli/Manual.h"

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>

namespace fbtrack {

namespace {

// roff treats a leading '.' or '\'' as a request and '\' as an escape.
std::string roff(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<const CLI::Option*> options_of(const CLI::App& app) {
    return app.get_options([](const CLI::Option* o) { return !o->get_group().empty() && o->get_name() != "--help"; });
}

void write_options(std::ostream& out, const CLI::App& app) {
    for (const CLI::Option* o : options_of(app)) {
        std::string name = o->get_name(false, true);
        if (o->get_expected_min() > 0 && !o->get_positional()) name += " VALUE";  // a flag takes none
        out << ".TP\n.B " << roff(name) << "\n" << roff(o->get_description()) << "\n";
    }
}

void write_command(std::ostream& out, const CLI::App& command, const std::string& prefix) {
    const std::string name = prefix.empty() ? command.get_name() : prefix + " " + command.get_name();
    out << ".SS " << roff(name) << "\n" << roff(command.get_description()) << "\n";
    if (!options_of(command).empty()) {
        out << ".RS\n";
        write_options(out, command);
        out << ".RE\n";
    }
    for (const CLI::App* sub : subcommands_of(command)) write_command(out, *sub, name);
}

void collect_words(const CLI::App& app, const std::string& path, std::vector<std::pair<std::string, std::string>>& words) {
    std::string list;
    for (const CLI::App* sub : subcommands_of(app)) list += sub->get_name() + " ";
    for (const CLI::Option* o : options_of(app))
        for (const auto& n : o->get_lnames()) list += "--" + n + " ";
    words.emplace_back(path, list);
    for (const CLI::App* sub : subcommands_of(app)) collect_words(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), words);
}

}  // namespace

void write_manual(std::ostream& out, const CLI::App& app) {
    out << ".TH FBTRACK 1 \"\" \"fbtrack " << FBTRACK_VERSION << "\" \"User Commands\"\n"
        << ".SH NAME\nfbtrack \\- " << roff(app.get_description().substr(app.get_description().find(':') + 2)) << "\n"
        << ".SH SYNOPSIS\n.B fbtrack\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n"
        << ".SH DESCRIPTION\nfbtrack imports a merchant-fulfilled seller's monthly exports from Seller Central (orders, "
           "shipping confirmations, the feedback report) and buyer-seller mail into a local SQLite database per shop; "
           "correlates each negative or neutral rating with the order's promises, its shipment and any request to ship "
           "faster; says honestly which of Amazon's removal grounds applies, if any; drafts the texts to paste into Seller "
           "Central; lists the risks before they land; and writes a monthly HTML report.\n"
        << ".SH GLOBAL OPTIONS\nThese may come before or after the command.\n";
    write_options(out, app);
    out << ".SH COMMANDS\n";
    for (const CLI::App* command : subcommands_of(app)) write_command(out, *command, "");
    out << ".SH FILES\n"
           ".TP\n.I ~/.local/share/fbtrack/SHOP.db\nEach shop's database (\\fB$XDG_DATA_HOME/fbtrack\\fR when set): "
           "its orders, shipments, ratings, messages, import journal and the shop's own settings.\n"
           ".TP\n.I ~/.config/fbtrack/\nYour own copies of shipped data files (\\fB$XDG_CONFIG_HOME/fbtrack\\fR when set): "
           "a file here, such as \\fIphrases/topic_delivery.ja.txt\\fR or \\fItemplates/removal.ja.txt\\fR, is read in place "
           "of the shipped file of the same name; upgrades never change it. \\fBfbtrack data\\fR lists which is read.\n"
           ".TP\n.I PREFIX/share/fbtrack/\nThe shipped data: layouts, phrase lists, templates, holidays, Amazon's quoted "
           "statements, the example shop settings (shop.json, the default of a new shop) and a sample month.\n"
        << ".SH ENVIRONMENT\n"
           ".TP\n.B FBTRACK_SHOP\nThe shop to use when \\fB\\-\\-shop\\fR is not given (default: default).\n"
           ".TP\n.B FBTRACK_DB\nA database file to use instead of the shop's, when \\fB\\-\\-db\\fR is not given.\n"
           ".TP\n.B FBTRACK_DATA\nA data folder to read instead of the shipped one.\n"
           ".TP\n.B XDG_DATA_HOME, XDG_CONFIG_HOME\nWhere the shops' databases and your own data files are kept.\n"
        << ".SH EXIT STATUS\n"
           ".TP\n.B 0\nDone.\n"
           ".TP\n.B 64\nA usage error: an unknown command or option, a bad value, an argument that is not UTF-8.\n"
           ".TP\n.B 65\nBad input data: a file that cannot be read as an export, a draft the lint refused. Nothing was written.\n"
           ".TP\n.B 66\nAn input file, or an order, that does not exist.\n"
           ".TP\n.B 70\nAn internal error; please report it with the command you ran.\n"
           ".TP\n.B 73\nAn output could not be created: a full disk, a folder that cannot be written.\n"
           ".TP\n.B 75\nThe database is busy with another fbtrack; try again.\n"
           ".TP\n.B 78\nA data file (shipped, or your own copy in ~/.config/fbtrack) cannot be used; the message names it.\n"
        << ".SH SEE ALSO\nThe README in /usr/share/doc/fbtrack or the project's repository.\n";
}

void write_bash_completion(std::ostream& out, const CLI::App& app) {
    std::vector<std::pair<std::string, std::string>> words;
    collect_words(app, "", words);
    out << "# bash completion for fbtrack, written by 'fbtrack --bash-completion'.\n"
           "_fbtrack() {\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} path='' w\n"
           "    # The command path so far: the words that are commands, options and their values left out.\n"
           "    for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
           "        case \"$w\" in -*) ;; *) case \" $(_fbtrack_words \"$path\") \" in *\" $w \"*) path=${path:+$path }$w ;; esac ;; esac\n"
           "    done\n"
           "    COMPREPLY=($(compgen -W \"$(_fbtrack_words \"$path\")\" -- \"$cur\"))\n"
           "    [[ ${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "}\n"
           "_fbtrack_words() {\n"
           "    case \"$1\" in\n";
    for (const auto& [path, list] : words) out << "        '" << path << "') echo '" << list << "' ;;\n";
    out << "    esac\n"
           "}\n"
           "complete -F _fbtrack fbtrack\n";
}

}  // namespace fbtrack
