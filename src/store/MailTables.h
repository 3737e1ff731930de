#pragma once
// The mailboxes fbtrack reads (fetch), how far each folder has been read, and the alerts notify
// has sent.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fbtrack {

class Database;

// A mailbox the seller lets fbtrack read (fetch). The password is never kept: `password_command`
// prints it when it is needed.
struct MailAccount {
    std::string name, url, user, password_command;
    std::vector<std::string> folders;  // as the server names them ("INBOX", "Sent")
    std::optional<std::string> cacert;  // a private CA's certificate file
    std::string added_at;
};

// How far a folder of a mail account has been read: UIDs up to last_uid, while the server's
// UIDVALIDITY stays the one they were read under.
struct FolderPosition {
    std::string folder;
    std::int64_t uidvalidity = 0, last_uid = 0;
    std::string fetched_at;
};

class MailTables {
public:
    explicit MailTables(Database& database) : database_(database) {}

    std::vector<MailAccount> mail_accounts();
    // False when an account of that name exists already.
    bool add_mail_account(const MailAccount& account);
    // False when there is none of that name. Its folder positions go with it.
    bool remove_mail_account(const std::string& name);
    std::vector<FolderPosition> folder_positions(const std::string& account);
    void set_folder_position(const std::string& account, const FolderPosition& position);
    // The alerts notify has sent (notice keys), so that each goes out once.
    bool notice_sent(const std::string& key);
    void record_notice(const std::string& key, const std::string& kind, const std::string& order_id, const std::string& sent_at);

private:
    Database& database_;
};

}  // namespace fbtrack
