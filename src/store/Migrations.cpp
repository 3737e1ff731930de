#include "store/Migrations.h"

namespace fbtrack {

const std::vector<std::string_view>& schema_migrations() {
    static const std::vector<std::string_view> migrations = {
        // 1: orders, items, promises, shipments, feedback, the import journal and rejected rows.
        // Times are UTC ISO 8601 text; *_on and ship_date are marketplace-local dates.
        R"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE orders (
    order_id        TEXT PRIMARY KEY,
    purchased_at    TEXT,
    last_updated_at TEXT,
    status          TEXT,
    fulfillment     TEXT CHECK (fulfillment IN ('merchant', 'amazon')),
    sales_channel   TEXT,
    service_level   TEXT,
    ship_state      TEXT,
    ship_country    TEXT,
    ssa_carrier     TEXT,
    buy_shipping    INTEGER,
    is_prime        INTEGER,
    ship_by         TEXT,
    deliver_by      TEXT
) WITHOUT ROWID;

CREATE TABLE order_items (
    item_id       INTEGER PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders(order_id),
    order_item_id TEXT,
    sku           TEXT,
    asin          TEXT,
    product_name  TEXT,
    item_status   TEXT,
    quantity      INTEGER,
    currency      TEXT,
    item_price    TEXT
);
CREATE UNIQUE INDEX order_items_by_item_id ON order_items(order_id, order_item_id) WHERE order_item_id IS NOT NULL;
CREATE INDEX order_items_by_sku ON order_items(order_id, sku, asin);

CREATE TABLE shipments (
    order_id          TEXT NOT NULL,
    order_item_id     TEXT NOT NULL DEFAULT '',
    tracking_number   TEXT NOT NULL DEFAULT '',
    ship_date         TEXT NOT NULL,
    shipped_at        TEXT,
    quantity          INTEGER,
    carrier_code      TEXT,
    carrier_name      TEXT,
    ship_method       TEXT,
    fulfillment       TEXT,
    promised_delivery TEXT,
    PRIMARY KEY (order_id, order_item_id, tracking_number)
) WITHOUT ROWID;

CREATE TABLE feedback (
    order_id TEXT PRIMARY KEY,
    rated_on TEXT NOT NULL,
    rating   INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment  TEXT NOT NULL,
    response TEXT
) WITHOUT ROWID;
CREATE INDEX feedback_by_date ON feedback(rated_on);

CREATE TABLE imports (
    import_id      INTEGER PRIMARY KEY,
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    kind           TEXT NOT NULL,
    layout         TEXT NOT NULL,
    encoding       TEXT NOT NULL,
    rows_added     INTEGER NOT NULL DEFAULT 0,
    rows_updated   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    imported_at    TEXT NOT NULL
);
CREATE INDEX imports_by_sha256 ON imports(sha256);

CREATE TABLE rejected_rows (
    import_id INTEGER NOT NULL REFERENCES imports(import_id),
    line      INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    row_text  TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
) WITHOUT ROWID;
)sql",
        // 2: buyer-seller messages with their classification, expedite requests recorded by hand,
        // and the count of rows an import passed over as not its business (other mail).
        R"sql(
CREATE TABLE messages (
    message_key    TEXT PRIMARY KEY,
    order_id       TEXT,
    sent_at        TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('buyer', 'seller')),
    buyer_alias    TEXT,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    source         TEXT NOT NULL,
    classification TEXT NOT NULL,
    phrase         TEXT
) WITHOUT ROWID;
CREATE INDEX messages_by_order ON messages(order_id, sent_at);
CREATE INDEX messages_by_time ON messages(sent_at);

CREATE TABLE manual_expedites (
    order_id     TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    reply        TEXT NOT NULL CHECK (reply IN ('declined', 'accepted', 'none')),
    replied_at   TEXT,
    note         TEXT,
    PRIMARY KEY (order_id, requested_at)
) WITHOUT ROWID;

ALTER TABLE imports ADD COLUMN rows_ignored INTEGER NOT NULL DEFAULT 0;
)sql",
        // 3: what became of the removal requests the seller submitted.
        R"sql(
CREATE TABLE appeal_outcomes (
    order_id     TEXT PRIMARY KEY,
    submitted_on TEXT,
    outcome      TEXT CHECK (outcome IN ('removed', 'refused')),
    decided_on   TEXT
) WITHOUT ROWID;
)sql",
        // 4: monthly counts and Order Defect Rate windows select orders by purchase time.
        R"sql(
CREATE INDEX orders_by_purchase ON orders(purchased_at);
)sql",
        // 5: real inboxes. How a message's text was repaired (a charset label that lied, text cut
        // at the cap), messages whose Message-ID came again with other content, and the shop's
        // own mail addresses (from shop.json, or learnt from mail), which alone make a message
        // to a marketplace alias the seller's reply.
        R"sql(
ALTER TABLE messages ADD COLUMN decoding_note TEXT;
ALTER TABLE imports ADD COLUMN rows_conflicting INTEGER NOT NULL DEFAULT 0;
CREATE TABLE shop_addresses (
    address     TEXT PRIMARY KEY,
    learnt_from TEXT NOT NULL
) WITHOUT ROWID;
)sql",
        // 6: the report counts a month's orders by fulfillment and finds the unshipped ones from
        // the purchase-time index alone, without reading each order's row. It covers the old
        // index, which goes.
        R"sql(
CREATE INDEX orders_by_purchase_fulfillment ON orders(purchased_at, fulfillment, status);
DROP INDEX orders_by_purchase;
)sql",
        // 7: the size of each imported file. A file whose size no import had cannot be one imported
        // before, so it is hashed while it is read instead of in a read of its own first.
        R"sql(
ALTER TABLE imports ADD COLUMN size_bytes INTEGER;
)sql",
        // 8: mailboxes read over IMAP (fetch). An account holds where and how to log in, never a
        // password: password_command prints it when needed. A folder's position is the last UID
        // read under the UIDVALIDITY it was read with; it moves only with the messages it covers,
        // in the same transaction.
        R"sql(
CREATE TABLE mail_accounts (
    name             TEXT PRIMARY KEY,
    url              TEXT NOT NULL,
    user_name        TEXT NOT NULL,
    password_command TEXT NOT NULL,
    folders          TEXT NOT NULL,
    cacert           TEXT,
    added_at         TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE mail_folder_positions (
    account     TEXT NOT NULL REFERENCES mail_accounts(name) ON DELETE CASCADE,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (account, folder)
) WITHOUT ROWID;
)sql",
        // 9: the alerts notify has sent, each once: a key names the event (a request, a message,
        // a rating, a deadline), so that a second notify sends nothing new.
        R"sql(
CREATE TABLE notices (
    notice_key TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    order_id   TEXT,
    sent_at    TEXT NOT NULL
) WITHOUT ROWID;
)sql",
        // 10: an order named by the last digits of its ID (appeal 5512907), and feedback's
        // shortest reference for each rating, look the last 7 digits up by index instead of
        // reading every order once per rating.
        R"sql(
CREATE INDEX orders_by_id_ending ON orders(substr(order_id, -7));
CREATE INDEX feedback_by_id_ending ON feedback(substr(order_id, -7));
)sql",
    };
    return migrations;
}

}  // namespace fbtrack
