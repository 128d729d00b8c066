// Response workflow: playbook files load (and bad ones give a one-line error naming file, line and field), the
// classification decision is recorded with who and why, gates block closing a phase, RACI validation, undo/redo
// round-trips through the custody log, state survives closing and reopening the case, clocks and the ladder.
#include "core/model/Time.h"
#include "core/response/Response.h"
#include "core/store/ResponseStore.h"
#include "tests/analysis/AnalysisTestUtil.h"

#include <QDateTime>
#include <QFile>

#include <regex>

#include <gtest/gtest.h>

using namespace chainsight;
using namespace chainsight::response;
using chainsight::testing::sourcePath;
using chainsight::testing::TempCase;

namespace {

PlaybookLibrary shipped()
{
    auto lib = loadPlaybookLibrary(sourcePath(QStringLiteral("resources/playbooks")));
    EXPECT_TRUE(lib.ok()) << (lib.ok() ? "" : lib.error().toString().toStdString());
    return lib.ok() ? std::move(*lib) : PlaybookLibrary();
}

struct DemoCase
{
    TempCase tc;
    analysis::AnalysisReport report;
    std::unique_ptr<ResponseCase> rc;
    DemoCase()
    {
        auto imp = tc.import(sourcePath(QStringLiteral("resources/demo/refund-incident")));
        EXPECT_TRUE(imp.ok()) << (imp.ok() ? "" : imp.error().toString().toStdString());
        report = tc.analyze();
        open();
        EXPECT_TRUE(rc->recordMachineProposal(report).ok());
    }
    void open()
    {
        auto r = ResponseCase::open(*tc.store, shipped());
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().toString().toStdString());
        rc = std::move(*r);
        rc->setActor(custody::Actor{"alice", "soc-ws-1"});
    }
    void reopen()
    {
        rc.reset();
        const QString path = tc.store->path();
        tc.store.reset();
        auto cs = store::CaseStore::open(path);
        ASSERT_TRUE(cs.ok());
        tc.store = std::move(*cs);
        open();
    }
    Edit applied(Result<Edit> e)
    {
        EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().toString().toStdString());
        Edit out = e.ok() ? *e : Edit();
        auto s = rc->apply(out);
        EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().toString().toStdString());
        return out;
    }
    void setState(const std::string& id, const std::string& state, const std::string& notes = {})
    {
        auto r = rc->item(id);
        r.state = state;
        if (!notes.empty()) r.notes = notes;
        applied(rc->updateItem(r));
    }
    // Everything but the clocks (which move with the wall clock) and the times of change (a redo is a new change).
    std::string snapshot() const
    {
        json::Value v = rc->toJson(&report, 0);
        v.set("clocks", json::Value());
        static const std::regex times("\"(changed_at|ts)\":\"[^\"]*\"");
        return std::regex_replace(v.dump(), times, "");
    }
    std::vector<CustodyEntry> custody() const
    {
        auto c = tc.store->custody();
        EXPECT_TRUE(c.ok());
        return c.ok() ? *c : std::vector<CustodyEntry>{};
    }
};

Error loadBad(const std::string& text, const QString& name = QStringLiteral("bad.yaml"))
{
    PlaybookLibrary lib;
    auto s = loadPlaybookText(lib, text, name);
    EXPECT_FALSE(s.ok()) << text;
    return s.ok() ? Error{} : s.error();
}

const char* kGoodType = R"(format: chainsight-playbook/1
type: reasoning_compromise
title: RC
phases:
  detect:
    - id: x.one
      title: One
      csf: DE.AE
      role: soc
)";

} // namespace

TEST(Playbook, ShippedLibraryHasEveryTypeAndPhase)
{
    const PlaybookLibrary lib = shipped();
    ASSERT_EQ(lib.playbooks.size(), 3u);
    ASSERT_EQ(lib.roles.size(), 7u);
    for (const auto& pb : lib.playbooks) {
        std::set<Phase> phases;
        for (const auto& i : pb.items) {
            phases.insert(i.phase);
            EXPECT_FALSE(csfFunction(i.csf).empty()) << i.id;
        }
        EXPECT_EQ(phases.size(), size_t(kPhaseCount)) << pb.type;
        // The containment order of the seeds comes first in Contain: revoke tokens before anything else.
        auto first = std::find_if(pb.items.begin(), pb.items.end(),
                                  [](const PlaybookItem& i) { return i.phase == Phase::Contain; });
        ASSERT_NE(first, pb.items.end());
        EXPECT_EQ(first->id, "common.contain.revoke-tokens") << pb.type;
        // Forensics come before any other Analyze item (preserve before containment).
        auto an = std::find_if(pb.items.begin(), pb.items.end(),
                               [](const PlaybookItem& i) { return i.phase == Phase::Analyze; });
        EXPECT_EQ(an->kind, ItemKind::Forensics);
    }
    const Playbook* rc = lib.playbook("reasoning_compromise");
    ASSERT_NE(rc, nullptr);
    EXPECT_NE(lib.item("rc.contain.soft-quarantine"), nullptr);
    EXPECT_NE(lib.item("rc.contain.corpus-pin"), nullptr);
    EXPECT_EQ(lib.containmentOrder.front().id, "tokens");
    EXPECT_EQ(lib.containmentOrder.size(), 5u);
    EXPECT_EQ(lib.rungs, (std::vector<std::string>{"monitor", "soft_quarantine", "revoke", "kill"}));
}

TEST(Playbook, BadFilesGiveOneLineErrorWithFileLineAndField)
{
    Error e = loadBad(std::string(kGoodType).replace(std::string(kGoodType).find("DE.AE"), 5, "DE.XX"));
    EXPECT_EQ(e.file, "bad.yaml");
    EXPECT_EQ(e.line, 8);
    EXPECT_EQ(e.field, "phases.detect[0].csf");
    EXPECT_NE(e.message.indexOf("CSF 2.0"), -1);

    e = loadBad(std::string(kGoodType) + "      colour: red\n");
    EXPECT_EQ(e.field, "phases.detect[0].colour");
    EXPECT_EQ(e.line, 10);
    EXPECT_NE(e.message.indexOf("unknown key"), -1);

    e = loadBad("format: chainsight-playbook/1\ntype: reasoning_compromise\ntitle: [unclosed\n");
    EXPECT_EQ(e.line, 4); // yaml-cpp reports the end of input
    EXPECT_EQ(e.file, "bad.yaml");

    e = loadBad("format: chainsight-playbook/1\ntype: kitchen_fire\ntitle: X\nphases: {}\n");
    EXPECT_EQ(e.field, "type");
    EXPECT_EQ(e.line, 2);

    e = loadBad("format: chainsight-playbook/9\n");
    EXPECT_EQ(e.field, "format");

    e = loadBad(std::string(kGoodType).replace(std::string(kGoodType).find("      title: One\n"), 17, ""));
    EXPECT_EQ(e.field, "phases.detect[0].title");
    EXPECT_EQ(e.message, "required");

    e = loadBad(std::string(kGoodType) + "      atlas: T1234\n");
    EXPECT_EQ(e.field, "phases.detect[0].atlas");

    e = loadBad(std::string(kGoodType) + "      gate: maybe\n");
    EXPECT_EQ(e.field, "phases.detect[0].gate");

    // The one-line form the CLI prints.
    EXPECT_EQ(e.toString().count(QLatin1Char('\n')), 0);
    EXPECT_TRUE(e.toString().startsWith(QStringLiteral("bad.yaml:")));

    // Folder-level checks: a playbook naming a role the response file does not define.
    QTemporaryDir dir;
    QFile::copy(sourcePath(QStringLiteral("resources/playbooks/response.yaml")),
                dir.filePath(QStringLiteral("response.yaml")));
    QFile::copy(sourcePath(QStringLiteral("resources/playbooks/privilege_boundary_escape.yaml")),
                dir.filePath(QStringLiteral("pbe.yaml")));
    QFile::copy(sourcePath(QStringLiteral("resources/playbooks/runtime_execution_escape.yaml")),
                dir.filePath(QStringLiteral("ree.yaml")));
    {
        QFile f(dir.filePath(QStringLiteral("rc.yaml")));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(kGoodType).replace("role: soc", "role: janitor"));
    }
    auto lib = loadPlaybookLibrary(dir.path());
    ASSERT_FALSE(lib.ok());
    EXPECT_EQ(lib.error().file, dir.filePath(QStringLiteral("rc.yaml")));
    EXPECT_EQ(lib.error().field, "role");
    EXPECT_EQ(lib.error().line, 6);
    QFile::remove(dir.filePath(QStringLiteral("rc.yaml")));
    lib = loadPlaybookLibrary(dir.path());
    ASSERT_FALSE(lib.ok());
    EXPECT_NE(lib.error().message.indexOf("reasoning_compromise"), -1);
}

TEST(Response, OverrideIsRecordedWithWhoAndWhyAndReopensTheRunbook)
{
    DemoCase d;
    ASSERT_TRUE(d.rc->state().machine);
    EXPECT_EQ(d.rc->state().machine->type, "reasoning_compromise");
    EXPECT_EQ(d.rc->playbook()->type, "reasoning_compromise");
    EXPECT_FALSE(d.rc->state().analyst);

    // A reason is required.
    EXPECT_FALSE(d.rc->classify("privilege_boundary_escape", 3, "  ").ok());
    EXPECT_FALSE(d.rc->classify("reasoning_compromise", 4, "x").ok());

    d.applied(d.rc->classify("privilege_boundary_escape", 3, "the refund scope was widened by a delegated token"));
    const auto& st = d.rc->state();
    ASSERT_TRUE(st.analyst);
    EXPECT_EQ(st.analyst->actor, "alice");
    EXPECT_EQ(st.analyst->reason, "the refund scope was widened by a delegated token");
    EXPECT_EQ(st.type, "privilege_boundary_escape");
    EXPECT_EQ(st.tier, 3);
    ASSERT_TRUE(st.machine); // the proposal is kept beside the decision
    EXPECT_EQ(st.machine->type, "reasoning_compromise");
    EXPECT_EQ(d.rc->playbook()->type, "privilege_boundary_escape");
    EXPECT_NE(d.rc->library().item("pbe.contain.revoke-escalated"), nullptr);

    const auto entries = d.custody();
    const CustodyEntry& last = entries.back();
    EXPECT_EQ(last.action, "classification.set");
    EXPECT_EQ(last.actor, "alice");
    EXPECT_NE(last.detail.find("\"decision\":\"override\""), std::string::npos) << last.detail;
    EXPECT_NE(last.detail.find("\"machine_type\":\"reasoning_compromise\""), std::string::npos);
    EXPECT_NE(last.detail.find("delegated token"), std::string::npos);
    EXPECT_TRUE(custody::verifyChain(entries).empty());

    // The machine proposal is recorded once, not on every open.
    const size_t n = entries.size();
    ASSERT_TRUE(d.rc->recordMachineProposal(d.report).ok());
    EXPECT_EQ(d.custody().size(), n);
}

TEST(Response, GatesBlockClosingAPhaseAndSayWhy)
{
    DemoCase d;
    d.applied(d.rc->classify("reasoning_compromise", 2, "confirmed: poisoned policy document evt-001623"));
    auto e = d.rc->setPhaseClosed(Phase::Recover, true);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, ErrorCode::Blocked);
    EXPECT_NE(e.error().message.indexOf("staged re-enablement"), -1) << e.error().message.toStdString();
    EXPECT_EQ(d.rc->gateBlockers(Phase::Recover).size(), 3u);

    d.setState("common.recover.config-known-good", "done");
    d.setState("common.recover.detections-live", "done");
    // Not applicable needs a note saying why.
    d.setState("common.recover.staged-reenable", "not_applicable");
    EXPECT_EQ(d.rc->gateBlockers(Phase::Recover).size(), 1u);
    EXPECT_FALSE(d.rc->setPhaseClosed(Phase::Recover, true).ok());
    d.setState("common.recover.staged-reenable", "not_applicable", "agent retired, not re-enabled");
    EXPECT_TRUE(d.rc->gateBlockers(Phase::Recover).empty());
    // Non-gate items do not block (rc.recover.rebuild-baseline is still open).
    Edit close = d.applied(d.rc->setPhaseClosed(Phase::Recover, true));
    EXPECT_TRUE(d.rc->state().phases.at("recover").closed);

    // Re-applying a close (redo) is refused once a gate item is reopened.
    ASSERT_TRUE(d.rc->revert(close).ok());
    d.setState("common.recover.detections-live", "in_progress");
    EXPECT_EQ(d.rc->apply(close).error().code, ErrorCode::Blocked);
    EXPECT_FALSE(d.rc->state().phases.count("recover") && d.rc->state().phases.at("recover").closed);
}

TEST(Response, RaciFlagsMissingOrDoubleAccountableAndMissingResponsible)
{
    DemoCase d;
    EXPECT_TRUE(d.rc->raciProblems().empty()); // the shipped defaults are consistent
    d.applied(d.rc->setRaci("contain", "soc", 'A'));
    auto p = d.rc->raciProblems();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].activity, "contain");
    EXPECT_NE(p[0].what.find("2 A (ic, soc)"), std::string::npos) << p[0].what;

    d.applied(d.rc->setRaci("detect", "soc", std::nullopt));
    d.applied(d.rc->setRaci("detect", "platform", 'C'));
    p = d.rc->raciProblems();
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0].activity, "detect"); // phases in order
    EXPECT_NE(p[0].what.find("no A"), std::string::npos);
    EXPECT_NE(p[1].what.find("no R"), std::string::npos);
    EXPECT_EQ(p[2].activity, "contain");

    // Item activities are checked once they have a cell.
    d.applied(d.rc->setRaci("rc.contain.corpus-pin", "ai_eng", 'R'));
    p = d.rc->raciProblems();
    EXPECT_EQ(p.back().activity, "rc.contain.corpus-pin");
    EXPECT_NE(p.back().what.find("no A"), std::string::npos);

    EXPECT_FALSE(d.rc->setRaci("contain", "soc", 'X').ok());
    // The defaults became the case's own cells on the first edit.
    EXPECT_EQ(d.rc->state().raci.at({"eradicate", "ai_eng"}), 'R');
}

TEST(Response, UndoRedoRoundTripsEveryEditThroughTheCustodyLog)
{
    DemoCase d;
    std::vector<std::string> states{d.snapshot()};
    std::vector<Edit> edits;
    edits.push_back(d.applied(d.rc->classify("reasoning_compromise", 2, "confirmed")));
    states.push_back(d.snapshot());
    auto r = d.rc->item("common.contain.revoke-tokens");
    r.state = "in_progress";
    r.owner = "Bob (IAM)";
    r.due = "2026-05-06T14:00:00Z";
    r.notes = "refund-bot token";
    r.events = {"evt-001623"};
    edits.push_back(d.applied(d.rc->updateItem(r)));
    states.push_back(d.snapshot());
    r.state = "done";
    edits.push_back(d.applied(d.rc->updateItem(r)));
    states.push_back(d.snapshot());
    edits.push_back(d.applied(d.rc->setRaci("contain", "legal", 'C')));
    states.push_back(d.snapshot());
    edits.push_back(d.applied(d.rc->setAgentProfile("refund-agent", "batch", true)));
    states.push_back(d.snapshot());
    edits.push_back(d.applied(d.rc->setAwareness("2026-05-06T09:00:00Z")));
    states.push_back(d.snapshot());
    edits.push_back(d.applied(d.rc->setRoles({{"ic", "Incident commander"}, {"soc", "SOC"}, {"ciso", "CISO"}})));
    states.push_back(d.snapshot());
    edits.push_back(d.applied(d.rc->setPhaseClosed(Phase::Detect, true)));
    states.push_back(d.snapshot());
    for (size_t i = 1; i < states.size(); ++i)
        EXPECT_NE(states[i], states[i - 1]) << i;

    // Undo everything, newest first: each step restores the state before it.
    for (size_t i = edits.size(); i-- > 0;) {
        ASSERT_TRUE(d.rc->revert(edits[i]).ok()) << i;
        EXPECT_EQ(d.snapshot(), states[i]) << "undo " << i;
    }
    // Redo everything.
    for (size_t i = 0; i < edits.size(); ++i) {
        ASSERT_TRUE(d.rc->apply(edits[i]).ok()) << i;
        if (i == 0 || i == 1 || i == 2) continue; // item rows carry new changed_at
        EXPECT_EQ(d.snapshot(), states[i + 1]) << "redo " << i;
    }
    EXPECT_EQ(d.rc->state().type, "reasoning_compromise");
    EXPECT_EQ(d.rc->itemState("common.contain.revoke-tokens"), ItemState::Done);

    const auto entries = d.custody();
    EXPECT_TRUE(custody::verifyChain(entries).empty());
    int undos = 0;
    for (const auto& e : entries)
        if (e.detail.find("\"undo\":true") != std::string::npos) ++undos;
    EXPECT_EQ(undos, int(edits.size()));
}

TEST(Response, StateSurvivesClosingAndReopeningTheCase)
{
    DemoCase d;
    d.applied(d.rc->classify("reasoning_compromise", 2, "confirmed by the analyst"));
    auto r = d.rc->item("rc.contain.corpus-pin");
    r.state = "done";
    r.owner = "Carol";
    r.events = {"evt-001623", "evt-001700"};
    d.applied(d.rc->updateItem(r));
    d.applied(d.rc->setRaci("analyze", "business", 'I'));
    d.applied(d.rc->setAgentProfile("refund-agent", "customer-facing", true));
    const std::string before = d.snapshot();
    d.reopen();
    EXPECT_EQ(d.snapshot(), before);
    EXPECT_EQ(d.rc->item("rc.contain.corpus-pin").events.size(), 2u);
    EXPECT_EQ(d.rc->item("rc.contain.corpus-pin").changedBy, "alice");
}

TEST(Response, ClocksStartAtAwarenessAndStopAtDecisionAndConfirmedContainment)
{
    DemoCase d;
    d.applied(d.rc->setAwareness("2026-05-06T09:00:00Z"));
    const int64_t now = *parseRfc3339("2026-05-06T12:00:00Z") / 1000000;
    Metrics m = d.rc->metrics(&d.report, now);
    EXPECT_EQ(m.awarenessSource, "analyst");
    ASSERT_TRUE(m.toClassification);
    EXPECT_TRUE(m.toClassification->to.empty());
    EXPECT_EQ(m.toClassification->elapsedMs, 3 * 3600 * 1000);
    EXPECT_TRUE(m.toContainment->to.empty());
    EXPECT_EQ(m.euAiAct.size(), 3u); // the demo's agents.json marks the refund agent high-risk
    d.applied(d.rc->setAgentProfile("refund-agent", "", false));
    EXPECT_TRUE(d.rc->metrics(&d.report, now).euAiAct.empty()); // the analyst's setting wins

    d.applied(d.rc->classify("reasoning_compromise", 2, "confirmed"));
    m = d.rc->metrics(&d.report, now);
    EXPECT_FALSE(m.toClassification->to.empty());

    // Containment: only a confirmed success of a containment action stops the clock.
    auto add = [&](const char* detail) {
        auto tx = d.tc.store->begin();
        ASSERT_TRUE(tx.ok());
        json::Parser p;
        ASSERT_TRUE(custody::append(*d.tc.store, custody::Actor{"bob", "h"}, "contain.outcome", "sa:refund-bot@prod",
                                    *p.parse(detail))
                        .ok());
        ASSERT_TRUE(d.tc.store->commit(*tx).ok());
    };
    add(R"({"action":"revoke-token","outcome":"failed"})");
    add(R"({"action":"notify","outcome":"success"})");
    add(R"({"action":"revoke-token","outcome":"success","confirmed":false})");
    m = d.rc->metrics(&d.report, now);
    EXPECT_TRUE(m.toContainment->to.empty());
    add(R"({"action":"revoke-token","outcome":"success"})");
    m = d.rc->metrics(&d.report, now);
    EXPECT_FALSE(m.toContainment->to.empty());

    // Progress per phase moves with the checklist.
    const int before = m.phases[2].done;
    d.setState("common.contain.revoke-tokens", "done");
    m = d.rc->metrics(&d.report, now);
    EXPECT_EQ(m.phases[2].done, before + 1);
    EXPECT_GT(m.forensicsTotal, 0);
    const double fc = m.forensicCompleteness;
    d.setState("common.analyze.preserve-traces", "done");
    EXPECT_GT(d.rc->metrics(&d.report, now).forensicCompleteness, fc);

    // High-risk: the Article 73 clocks count from awareness.
    d.applied(d.rc->setAgentProfile("refund-agent", "", true));
    m = d.rc->metrics(&d.report, now);
    ASSERT_EQ(m.euAiAct.size(), 3u);
    EXPECT_EQ(m.euAiAct[0].deadline, "2026-05-21T09:00:00Z"); // 15 days
    EXPECT_EQ(m.euAiAct[2].deadline, "2026-05-08T09:00:00Z"); // 2 days
    EXPECT_EQ(m.euAiAct[2].remainingMs, (48 - 3) * 3600 * 1000LL);
}

TEST(Response, LadderProposesTheRungFromTypeTierAndCriticality)
{
    DemoCase d;
    LadderProposal lp = d.rc->ladder(&d.report);
    EXPECT_EQ(lp.agent, "refund-agent");
    EXPECT_EQ(lp.criticality, "customer-facing"); // from agents.json
    EXPECT_EQ(lp.rung, "soft_quarantine");
    ASSERT_EQ(lp.revokeFirst.size(), 5u);
    EXPECT_EQ(lp.revokeFirst[0].step, "tokens");
    EXPECT_FALSE(lp.revokeFirst[0].targets.empty()); // the refund bot's identity
    EXPECT_FALSE(lp.revokeFirst[3].targets.empty()); // its tools

    d.applied(d.rc->setAgentProfile("refund-agent", "batch", std::nullopt));
    EXPECT_EQ(d.rc->ladder(&d.report).rung, "kill");
    d.applied(d.rc->setAgentProfile("refund-agent", "internal", std::nullopt));
    EXPECT_EQ(d.rc->ladder(&d.report).rung, "soft_quarantine"); // reasoning compromise
    d.applied(d.rc->classify("privilege_boundary_escape", 3, "x"));
    EXPECT_EQ(d.rc->ladder(&d.report).rung, "revoke");
    d.applied(d.rc->classify("privilege_boundary_escape", 1, "false alarm, watch only"));
    EXPECT_EQ(d.rc->ladder(&d.report).rung, "monitor");
}

TEST(Response, ReadOnlyCaseRefusesEditsAndLeavesTheCaseUnchanged)
{
    DemoCase d;
    const QString path = d.tc.store->path();
    d.rc.reset();
    d.tc.store.reset();
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::ReadOnly;
    auto cs = store::CaseStore::open(path, o);
    ASSERT_TRUE(cs.ok());
    auto rc = ResponseCase::open(**cs, shipped());
    ASSERT_TRUE(rc.ok());
    auto e = (*rc)->classify("reasoning_compromise", 2, "x");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ((*rc)->apply(*e).error().code, ErrorCode::Blocked);
}
