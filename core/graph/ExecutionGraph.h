// The execution graph of a case: who ran what, on whose word, as whom, towards where. Agents, sessions, prompt
// sources, retrieved documents, tool calls, identities, downstream agents and external destinations become nodes;
// runs, prompt, retrieval, call, causal (parent), delegation, identity-assumption and egress links become edges.
// Routine repeated calls fold into one node per agent and tool with a count (expandable on demand), sessions and
// documents fold by agent and kind, so a million events stay a graph of a few hundred nodes. The analysis may mark
// nodes and edges (taint, kill chain) through addHighlight*; marks survive collapsing.
#pragma once

#include "core/store/CaseQueries.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace chainsight::graph {

enum class NodeKind : uint8_t { Agent, Session, Source, Document, Tool, Call, Identity, Destination, Memory, Runtime, More };
constexpr int kNodeKindCount = 11;
std::string_view nodeKindName(NodeKind k);

// Context: a document retrieved earlier in the same session, in the model's context when the call was made.
enum class EdgeKind : uint8_t { Runs, Prompt, Retrieval, Calls, Causal, Delegation, Identity, Egress, Memory, Context, Highlight };
constexpr int kEdgeKindCount = 11;
std::string_view edgeKindName(EdgeKind k);

enum class Mark : uint8_t { None, Taint, KillChain };

struct Node
{
    int id = -1;
    NodeKind kind = NodeKind::Agent;
    std::string label;  // first line
    std::string detail; // second line (counts, kind, time)
    std::string agent;  // the agent it belongs to, where it belongs to one
    int group = -1;     // the folding node this one belongs to (-1: always shown)
    int members = 0;    // for a folding node: how many nodes it folds
    int64_t events = 0; // events it stands for (a folding node: those of all its members)
    int64_t firstRowid = 0, firstTs = 0, lastTs = 0;
    std::array<uint32_t, 5> verdicts{}; // by Verdict: Allow, Log, Constrain, Block, Unknown (calls only)
    Mark mark = Mark::None;
    std::string markLabel;
    bool isGroup() const { return members > 0; }
};

struct Edge
{
    int from = -1, to = -1;
    EdgeKind kind = EdgeKind::Causal;
    int64_t count = 0;
    Mark mark = Mark::None;
    std::string label; // a highlight's label
};

struct BuildOptions
{
    int autoExpand = 8;        // a fold of at most this many is open from the start
    int maxExpanded = 24;      // an open fold shows at most this many members (the rest as "+N more", which opens further)
    int foldSessionsOver = 8;  // an agent's sessions fold when there are more
    int foldDocumentsOver = 12; // documents of one kind fold when there are more (those that caused actions never do)
    int contextDocuments = 6;   // a call links to at most this many documents retrieved before it in its session
    int revealBudget = 300;     // revealMarked shows at most about this many marked members in all, shared by fold
};

class ExecutionGraph
{
public:
    // Builds the graph of a whole case from its index (kept: events map to nodes through it).
    static std::unique_ptr<ExecutionGraph> build(std::shared_ptr<const store::CaseIndex> index, const BuildOptions& options = {});

    // What is shown now: nodes (ids) and edges between shown nodes, folds applied.
    struct View
    {
        std::vector<int> nodes;
        std::vector<Edge> edges;
    };
    View visible() const;

    const Node& node(int id) const { return m_nodes[id]; }
    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    const std::vector<int>& membersOf(int group) const; // empty for a node that folds nothing

    bool isExpanded(int group) const;
    void setExpanded(int group, bool expanded);
    // The fold to open or close for a shown node: itself when it folds, else its own fold. -1 when none.
    int foldOf(int id) const;
    // The node the analyst is looking at: an open fold too large to show whole shows first the members linked to it.
    // When the focus touches some members of a large fold, opening it shows just those.
    void setFocus(int id);
    int focus() const { return m_focus; }
    // Shows more members of an open fold (what a "+N more" node does).
    void showMore(int group, int count = 50);

    // The shown node an event is drawn in (-1 when none), and the event a node stands for.
    int visibleNodeForEvent(int64_t rowid) const;
    int nodeForEvent(int64_t rowid) const; // the finest node, folds ignored
    int64_t representativeEvent(int id) const { return m_nodes[id].firstRowid; }

    // Marks from the analysis. Edges go from the node of the source event to that of the action event.
    void addHighlightNode(int64_t rowid, Mark mark, const std::string& label = {});
    void addHighlightEdge(int64_t fromRowid, int64_t toRowid, Mark mark, const std::string& label = {});
    void clearHighlights();
    // Opens every fold holding a node marked at least this strongly, showing its marked members. A fold the
    // reveal opens shows only those, the rest behind its "+N more"; one already open keeps what it showed. When
    // more than revealBudget members are marked, each fold shows its share of the budget (at least one), so an
    // analysis that marks thousands of calls still yields a graph that lays out in well under a second.
    // Call after marking; relayout afterwards.
    void revealMarked(Mark atLeast = Mark::KillChain);
    // The shown nodes marked at least this strongly.
    std::vector<int> markedVisible(Mark atLeast = Mark::KillChain) const;

    const store::CaseIndex& index() const { return *m_index; }

private:
    ExecutionGraph() = default;
    int visibleOf(int id) const;
    int addNode(NodeKind kind, std::string label, const std::string& agent);
    void addEdge(int from, int to, EdgeKind kind);

    std::shared_ptr<const store::CaseIndex> m_index;
    BuildOptions m_options;
    std::vector<Node> m_nodes;
    std::vector<std::vector<int>> m_members; // per node: members when it folds
    std::vector<uint8_t> m_expanded;         // per node
    std::vector<int> m_rank;                 // per member: its place in its fold (for maxExpanded)
    std::vector<int> m_showRank;             // m_rank, with members linked to the focus first
    std::vector<int> m_limit, m_shown;       // per fold: members the analyst asked to see; shown now
    std::vector<uint8_t> m_revealed;         // per fold: opened by revealMarked, showing its marked share
    int m_focus = -1;
    void rankForFocus();
    std::vector<int> m_more;                 // per fold: its "+N more" node, -1
    std::vector<int32_t> m_eventNode;        // per event index
    // Fine edges, aggregated: key = from << 34 | to << 4 | kind, with its count.
    std::vector<uint64_t> m_rawEdges; // while building
    std::vector<std::pair<uint64_t, int64_t>> m_edges;
    struct Highlight
    {
        int from, to;
        Mark mark;
        std::string label;
    };
    std::vector<Highlight> m_highlightEdges;
    bool m_marked = false;
};

} // namespace chainsight::graph
