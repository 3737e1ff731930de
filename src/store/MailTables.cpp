#include "store/MailTables.h"

#include "store/Database.h"

#include <algorithm>

namespace fbtrack {

std::vector<MailAccount> MailTables::mail_accounts() {
    auto& s = database_.statement("SELECT name, url, user_name, password_command, folders, cacert, added_at FROM mail_accounts ORDER BY name");
    std::vector<MailAccount> out;
    while (s.executeStep()) {
        MailAccount a;
        a.name = s.getColumn(0).getString();
        a.url = s.getColumn(1).getString();
        a.user = s.getColumn(2).getString();
        a.password_command = s.getColumn(3).getString();
        // One folder per line: a folder name holds no line break (mail add refuses one).
        std::string folders = s.getColumn(4).getString();
        for (std::size_t start = 0; start <= folders.size();) {
            const auto end = std::min(folders.find('\n', start), folders.size());
            if (end > start) a.folders.push_back(folders.substr(start, end - start));
            start = end + 1;
        }
        if (!s.getColumn(5).isNull()) a.cacert = s.getColumn(5).getString();
        a.added_at = s.getColumn(6).getString();
        out.push_back(std::move(a));
    }
    s.reset();
    return out;
}

bool MailTables::add_mail_account(const MailAccount& account) {
    database_.before_writing();
    std::string folders;
    for (const auto& f : account.folders) folders += (folders.empty() ? "" : "\n") + f;
    auto& s = database_.statement(
        "INSERT INTO mail_accounts(name, url, user_name, password_command, folders, cacert, added_at) VALUES(?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    s.bind(1, account.name);
    s.bind(2, account.url);
    s.bind(3, account.user);
    s.bind(4, account.password_command);
    s.bind(5, folders);
    if (account.cacert) s.bind(6, *account.cacert);
    else s.bind(6);
    s.bind(7, account.added_at);
    const bool added = s.exec() == 1;
    s.reset();
    return added;
}

bool MailTables::remove_mail_account(const std::string& name) {
    database_.before_writing();
    auto& positions = database_.statement("DELETE FROM mail_folder_positions WHERE account = ?");
    positions.bind(1, name);
    positions.exec();
    positions.reset();
    auto& s = database_.statement("DELETE FROM mail_accounts WHERE name = ?");
    s.bind(1, name);
    const bool removed = s.exec() == 1;
    s.reset();
    return removed;
}

std::vector<FolderPosition> MailTables::folder_positions(const std::string& account) {
    auto& s = database_.statement("SELECT folder, uidvalidity, last_uid, fetched_at FROM mail_folder_positions WHERE account = ? ORDER BY folder");
    s.bind(1, account);
    std::vector<FolderPosition> out;
    while (s.executeStep())
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64(), s.getColumn(2).getInt64(), s.getColumn(3).getString()});
    s.reset();
    return out;
}

void MailTables::set_folder_position(const std::string& account, const FolderPosition& position) {
    database_.before_writing();
    auto& s = database_.statement(
        "INSERT INTO mail_folder_positions(account, folder, uidvalidity, last_uid, fetched_at) VALUES(?, ?, ?, ?, ?) "
        "ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
        "fetched_at = excluded.fetched_at");
    s.bind(1, account);
    s.bind(2, position.folder);
    s.bind(3, position.uidvalidity);
    s.bind(4, position.last_uid);
    s.bind(5, position.fetched_at);
    s.exec();
    s.reset();
}

bool MailTables::notice_sent(const std::string& key) {
    auto& s = database_.statement("SELECT 1 FROM notices WHERE notice_key = ?");
    s.bind(1, key);
    const bool found = s.executeStep();
    s.reset();
    return found;
}

void MailTables::record_notice(const std::string& key, const std::string& kind, const std::string& order_id,
                               const std::string& sent_at) {
    database_.before_writing();
    auto& s = database_.statement("INSERT INTO notices(notice_key, kind, order_id, sent_at) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING");
    s.bind(1, key);
    s.bind(2, kind);
    if (order_id.empty()) s.bind(3);
    else s.bind(3, order_id);
    s.bind(4, sent_at);
    s.exec();
    s.reset();
}

}  // namespace fbtrack
