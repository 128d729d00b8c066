// The execution graph's reveal of marked nodes: every marked call shown when there are few, a bounded share of
// them per fold when there are many, and the routine rest of a fold behind its "+N more".
#include "core/graph/ExecutionGraph.h"
#include "core/model/Event.h"
#include "core/store/CaseQueries.h"
#include "tests/support/BundleWriter.h"
#include "tests/support/TempCase.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace chainsight {
namespace {

class GraphReveal : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_case = new testing::TempCase;
        const QString bundle = s_case->dir.filePath(QStringLiteral("bundle"));
        ASSERT_TRUE(testing::writeSyntheticBundle(bundle, 20000, 7));
        s_case->mustImport(bundle);
        auto q = store::CaseQueries::open(s_case->dir.filePath(QStringLiteral("case.db")));
        ASSERT_TRUE(q.ok());
        auto ix = (*q)->loadIndex();
        ASSERT_TRUE(ix.ok());
        s_index = *ix;
    }
    static void TearDownTestSuite()
    {
        s_index.reset();
        delete s_case;
        s_case = nullptr;
    }

    // Marks every third tool call; returns the marked call nodes (finest, folds ignored).
    static std::set<int> markEveryThirdCall(graph::ExecutionGraph& g)
    {
        std::set<int> marked;
        int k = 0;
        for (size_t i = 0; i < s_index->size(); ++i) {
            if (static_cast<EventType>(s_index->types[i]) != EventType::ToolCall || k++ % 3) continue;
            g.addHighlightNode(s_index->rowids[i], graph::Mark::KillChain, "HARMFUL ACTION");
            const int n = g.nodeForEvent(s_index->rowids[i]);
            if (n >= 0) marked.insert(n);
        }
        return marked;
    }

    static testing::TempCase* s_case;
    static std::shared_ptr<const store::CaseIndex> s_index;
};

testing::TempCase* GraphReveal::s_case = nullptr;
std::shared_ptr<const store::CaseIndex> GraphReveal::s_index;

TEST_F(GraphReveal, EveryMarkedCallIsShownAndOpenedFoldsHideTheirRoutineMembers)
{
    graph::BuildOptions o;
    o.revealBudget = 1'000'000;
    auto g = graph::ExecutionGraph::build(s_index, o);
    const std::set<int> marked = markEveryThirdCall(*g);
    ASSERT_GT(marked.size(), 100u) << "the synthetic case has enough calls to fold";
    std::set<int> closedBefore;
    for (int id : g->visible().nodes)
        if (g->node(id).isGroup()) closedBefore.insert(id);
    g->revealMarked(graph::Mark::KillChain);

    const graph::ExecutionGraph::View v = g->visible();
    const std::set<int> shown(v.nodes.begin(), v.nodes.end());
    for (int n : marked) EXPECT_TRUE(shown.count(n)) << g->node(n).label << " is marked but not drawn";
    int opened = 0;
    for (int fold : closedBefore) {
        if (g->node(fold).mark == graph::Mark::None) continue;
        EXPECT_TRUE(g->isExpanded(fold));
        ++opened;
        bool hidden = false;
        for (int m : g->membersOf(fold)) {
            if (!shown.count(m)) {
                hidden = true;
                continue;
            }
            EXPECT_NE(g->node(m).mark, graph::Mark::None) << "an unmarked member of a fold the reveal opened is drawn";
        }
        if (!hidden) continue;
        bool more = false;
        for (int id : v.nodes) more |= g->node(id).kind == graph::NodeKind::More && g->node(id).group == fold;
        EXPECT_TRUE(more) << "the hidden members of " << g->node(fold).label << " stay reachable";
    }
    EXPECT_GT(opened, 0);

    // Selecting a node linked to many routine calls of those folds (the identity they ran as) puts the linked
    // members first, but keeps every marked call drawn.
    int identity = -1;
    for (const graph::Edge& e : v.edges)
        if (marked.count(e.from) && g->node(e.to).kind == graph::NodeKind::Identity) identity = e.to;
    ASSERT_GE(identity, 0);
    g->setFocus(identity);
    const graph::ExecutionGraph::View focused = g->visible();
    const std::set<int> shownFocused(focused.nodes.begin(), focused.nodes.end());
    for (int n : marked) EXPECT_TRUE(shownFocused.count(n)) << g->node(n).label << " hidden by the focus";
    int linkedUnmarked = 0;
    for (int id : focused.nodes) linkedUnmarked += !marked.count(id) && g->node(id).kind == graph::NodeKind::Call ? 1 : 0;
    EXPECT_GT(linkedUnmarked, 0) << "the focus shows routine calls linked to it too";
}

TEST_F(GraphReveal, ManyMarkedCallsShareTheBudget)
{
    graph::BuildOptions o;
    o.revealBudget = 40;
    auto g = graph::ExecutionGraph::build(s_index, o);
    const std::set<int> marked = markEveryThirdCall(*g);
    ASSERT_GT(marked.size(), 400u);
    g->revealMarked(graph::Mark::KillChain);

    const graph::ExecutionGraph::View v = g->visible();
    std::set<int> foldsWithMarks; // folds holding a marked call, drawn or not
    for (int n : marked)
        if (g->node(n).group >= 0) foldsWithMarks.insert(g->node(n).group);
    std::map<int, int> shownPerFold;
    int shownMarked = 0;
    for (int id : v.nodes) {
        if (!marked.count(id) || g->node(id).group < 0) continue; // a call outside any fold is always drawn
        ++shownMarked;
        ++shownPerFold[g->node(id).group];
    }
    ASSERT_GT(foldsWithMarks.size(), 1u);
    for (int f : foldsWithMarks) {
        EXPECT_TRUE(g->isExpanded(f)) << "every fold with a mark is opened";
        EXPECT_GE(shownPerFold[f], 1) << g->node(f).label << " shows none of its marked calls";
    }
    EXPECT_LE(shownMarked, o.revealBudget + static_cast<int>(foldsWithMarks.size()))
        << "the budget holds (plus at most one per fold from rounding up)";
    EXPECT_LT(v.nodes.size(), marked.size()) << "fewer nodes drawn than calls marked";
}

} // namespace
} // namespace chainsight
