#include "model/Records.h"

namespace fbtrack {

std::string_view kind_name(ImportKind kind) {
    switch (kind) {
        case ImportKind::orders: return "orders";
        case ImportKind::shipments: return "shipments";
        case ImportKind::feedback: return "feedback";
        case ImportKind::messages: return "messages";
    }
    return "?";
}

std::optional<ImportKind> kind_from_name(std::string_view name) {
    if (name == "orders") return ImportKind::orders;
    if (name == "shipments") return ImportKind::shipments;
    if (name == "feedback") return ImportKind::feedback;
    if (name == "messages") return ImportKind::messages;
    return std::nullopt;
}

}  // namespace fbtrack
