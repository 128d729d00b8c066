// The containment actions of a case (table `actions`, schema v4). Every state change is written together with its
// custody entry (contain.intent, contain.outcome) in one transaction, so no action exists without its record.
#pragma once

#include "core/Result.h"
#include "core/json/Json.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace chainsight::custody {
struct Actor;
}

namespace chainsight::store {

class CaseStore;

struct ActionRecord
{
    int64_t id = 0;
    std::string idempotencyKey, action, backend, backendKind, target;
    std::string params; // compact JSON: case, message, replicas, previous_replicas ("" = {})
    std::string bodySha256;
    std::string state; // intent, sent, confirmed, failed, unknown, reversed
    std::string actor, approver;
    bool breakGlass = false;
    std::string reason;
    int64_t reverses = 0; // the action this one undoes, 0 when none
    std::string createdAt, sentAt, finishedAt;
    int attempts = 0;
    int httpStatus = 0;
    std::string responseSha256, error;
};

class ActionStore
{
public:
    explicit ActionStore(CaseStore& store) : m_store(store) {}

    // Inserts the row in state 'intent' and appends contain.intent (detail: extra merged with the row's fields),
    // in one transaction. Returns the new id.
    Result<int64_t> recordIntent(const custody::Actor& actor, ActionRecord& rec, const json::Value& extra);
    // A new attempt of an existing action (retry, reconcile): back to 'intent' with a new contain.intent entry.
    Status recordRetryIntent(const custody::Actor& actor, int64_t id, const std::string& why);
    Status markSent(int64_t id, const std::string& sentAt);
    // The outcome: state confirmed|failed|unknown, with contain.outcome, in one transaction (outcome.params, when
    // not empty, replaces the row's params). When a confirmed
    // action reverses another, that one becomes 'reversed' in the same transaction.
    Status recordOutcome(const custody::Actor& actor, const ActionRecord& outcome, const json::Value& extra);
    // Actions left in intent or sent (the app died between sending and the result) become 'unknown', each with a
    // contain.outcome entry. Returns how many.
    Result<int> markInterrupted(const custody::Actor& actor);
    // A dry run leaves only a custody entry (contain.dry_run): nothing was sent.
    Status recordDryRun(const custody::Actor& actor, const std::string& target, const json::Value& detail);

    Result<std::vector<ActionRecord>> list();
    Result<std::optional<ActionRecord>> byId(int64_t id);
    Result<std::optional<ActionRecord>> byKey(const std::string& idempotencyKey);

    static json::Value toJson(const ActionRecord& r);

private:
    CaseStore& m_store;
};

} // namespace chainsight::store
