// The command line of shops, shop and data: its options, and the command it runs.
#include "cli/CommandLine.h"

#include "commands/ShopCommand.h"
#include "catalogue/DataFiles.h"
#include "core/UserDirs.h"

#include <CLI/CLI.hpp>

namespace fbtrack {

void add_shop_commands(CLI::App& app, CommandLine& line) {
    auto& shops_json = line.make<bool>(false);
    auto* shops = app.add_subcommand("shops", "the shops in ~/.local/share/fbtrack, with marketplace, counts and last import");
    shops->add_flag("--json", shops_json, "a JSON array");
    shops->callback([&] { line.without_database = [&] { run_shops(line.out, shops_json, line.global.lang); }; });

    auto* shop = app.add_subcommand("shop", "this shop's settings: show lists them, set changes them");
    shop->require_subcommand(1);
    auto& shop_json = line.make<bool>(false);
    auto* shop_show = shop->add_subcommand("show", "name, staff names, own addresses, Buy Shipping and calendar");
    shop_show->add_flag("--json", shop_json, "one JSON object");
    shop_show->callback([&] { line.command = [&](Session& s) { run_shop_show(s, shop_json); }; });
    auto& shop_set_options = line.make<ShopSetOptions>();
    auto* shop_set = shop->add_subcommand("set", "change the shop's name, staff names, own addresses or Buy Shipping");
    shop_set->add_option("--name", shop_set_options.name, "the shop's name as buyers see it (signs the drafts)");
    shop_set->add_option("--staff", shop_set_options.staff, "staff names, comma separated (a rating naming one holds personal information)")
        ->delimiter(',');
    shop_set->add_option("--own-addresses", shop_set_options.own_addresses,
                         "the shop's own mail addresses, comma separated (mail from them is the seller's)")
        ->delimiter(',');
    shop_set->add_option("--buy-shipping", shop_set_options.buy_shipping, "yes if every order ships with Amazon's Buy Shipping, else no");
    shop_set->callback([&] { line.command = [&](Session& s) { run_shop_set(s, shop_set_options); }; });

    auto& data_check = line.make<bool>(false);
    auto* data = app.add_subcommand("data", "where each data file comes from: shipped, or your copy in ~/.config/fbtrack");
    data->add_flag("--check", data_check, "read and check every data file, shipped and yours, and say what is wrong");
    data->callback([&] {
        line.without_database = [&] {
            if (data_check) run_data_check(line.out, find_data_dir(), user_config_dir());
            else run_data(line.out, find_data_dir(), user_config_dir());
        };
    });
}

}  // namespace fbtrack
