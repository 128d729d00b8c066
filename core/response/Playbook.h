// Response playbooks as data: the six phases of an incident (Detect, Analyze, Contain, Eradicate, Recover,
// Post-incident) with their items per incident type, the roles and default RACI, the tiers and the containment
// ladder. Loaded from a folder of YAML files an organisation can edit or replace (docs/playbooks.md); a bad file
// gives one error naming the file, the line and the field. yaml-cpp stays behind this wall.
#pragma once

#include "core/Result.h"

#include <QString>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chainsight::response {

enum class Phase { Detect, Analyze, Contain, Eradicate, Recover, PostIncident };
constexpr int kPhaseCount = 6;
constexpr std::array<Phase, kPhaseCount> kPhases{Phase::Detect,    Phase::Analyze, Phase::Contain,
                                                 Phase::Eradicate, Phase::Recover, Phase::PostIncident};
std::string_view phaseKey(Phase p);   // detect, analyze, contain, eradicate, recover, post_incident
std::string_view phaseTitle(Phase p); // Detect, Analyze, ..., Post-incident
std::optional<Phase> phaseFromKey(std::string_view key);

// CSF 2.0 categories (GV.OC ... RC.CO): the function ("Respond") of a category ("RS.MI"), empty when unknown.
std::string_view csfFunction(std::string_view category);

enum class ItemKind { Task, Forensics, Containment, Verification };
std::string_view itemKindKey(ItemKind k);

struct PlaybookItem
{
    std::string id;    // unique across the library (the checklist row's key)
    std::string title; // one line
    std::string detail;
    Phase phase = Phase::Detect;
    ItemKind kind = ItemKind::Task;
    std::string csf;   // CSF 2.0 category, e.g. RS.MI (NIST SP 800-61r3 is organised on CSF 2.0)
    std::string atlas; // MITRE ATLAS mitigation id (AML.M00xx), may be empty
    std::string role;  // the role that usually owns it (a role id)
    bool gate = false; // must be done (or justified not applicable) before its phase closes
    int dueHours = 0;  // default due time, hours after awareness; 0 = none
    std::string file;  // where it was defined, for messages
    int line = 0;
};

struct Role
{
    std::string id, name;
};

struct LadderRule
{
    std::optional<int> tier;
    std::string type;        // incident type key or empty (any)
    std::string criticality; // customer-facing, internal, batch or empty (any)
    std::string rung;
    std::string why;
};

// One class of capability in the containment order: what to cut, and which part of the blast radius it names
// (identities, sessions, agents, tools, destinations, or empty).
struct ContainmentStep
{
    std::string id, title, targets;
};

struct TierInfo
{
    int tier = 1;
    std::string title;
    std::vector<std::string> actions;
};

struct Playbook
{
    std::string type; // reasoning_compromise, privilege_boundary_escape, runtime_execution_escape
    std::string title, summary, file;
    std::vector<PlaybookItem> items; // in phase order, then file order (common items merged in)
};

// Everything loaded from a playbook folder.
struct PlaybookLibrary
{
    std::vector<Role> roles;
    std::map<std::string, std::map<std::string, char>> defaultRaci; // activity (phase key) -> role -> R/A/C/I
    std::vector<TierInfo> tiers;
    std::vector<std::string> rungs;                // monitor, soft_quarantine, revoke, kill
    std::vector<LadderRule> ladder;                // first match wins
    std::vector<ContainmentStep> containmentOrder; // capability classes to revoke first, in order
    std::vector<Playbook> playbooks;
    std::vector<std::string> files;

    const Playbook* playbook(std::string_view type) const;
    const PlaybookItem* item(std::string_view id) const; // searched in every playbook
    const TierInfo* tier(int t) const;
};

// Loads every *.yaml file of dir (response.yaml with roles, tiers, ladder and common items; one file per incident
// type). Errors name the file, the line and the field.
Result<PlaybookLibrary> loadPlaybookLibrary(const QString& dir);
// Parses one file's text into lib (exposed for tests; name is used in messages).
Status loadPlaybookText(PlaybookLibrary& lib, const std::string& text, const QString& name);
// Checks the library as a whole (ids unique, roles known, every type has a playbook); loadPlaybookLibrary calls it.
Status validateLibrary(const PlaybookLibrary& lib);

// The folder shipped with the application: $CHAINSIGHT_PLAYBOOKS, else next to the binary
// (../share/chainsight/playbooks), else the source tree's resources/playbooks.
QString defaultPlaybookDir();

} // namespace chainsight::response
