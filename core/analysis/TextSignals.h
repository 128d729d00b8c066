// Text-level signals the analysis builds on, all generic (no tool names, suites or wording of a known
// incident): value atoms (the identifiers a tool call can carry: e-mail addresses, hosts and URLs,
// account-like ids, long numbers, paths), injection language in untrusted content, bypass language in
// reasoning, imperative directives, and what a tool does, judged from its name and arguments.
#pragma once

#include "core/analysis/RawJson.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chainsight::analysis {

// ---- value atoms ----------------------------------------------------------------------------------------
enum class AtomKind : uint8_t { Email, Url, Host, Account, Number, Path, Word };

struct Atom
{
    std::string text; // normalised: lower-case for e-mails and hosts, no URL scheme or "www."
    AtomKind kind = AtomKind::Word;
    uint32_t offset = 0; // byte offset in the text it came from
};

// Appends the identifier-like atoms of text (no plain words).
void extractAtoms(std::string_view text, std::vector<Atom>& out);
// Every word token (lower-case, >= 2 characters, no stop words) and number: used only inside injection
// regions, where even a plain word or a short id an attacker dictates is worth following.
void extractWords(std::string_view text, uint32_t begin, uint32_t end, std::vector<Atom>& out);
// The atoms of one tool-call argument value: its identifier atoms, plus the whole value when short.
void argumentAtoms(std::string_view value, std::vector<Atom>& out);
bool isDestinationKind(AtomKind k);
std::string_view atomKindName(AtomKind k);

// ---- injection and bypass language --------------------------------------------------------------------
struct Span
{
    uint32_t begin = 0, end = 0;
};

enum InjectionGroup : uint8_t {
    kOverride = 1,  // ignore / disregard previous instructions
    kAddress = 2,   // speaks to the model ("to you, the AI assistant")
    kHijack = 4,    // re-orders the user's task ("before you solve the task the user gave you")
    kSecrecy = 8,   // hides from the user ("do not tell the user")
    kAuthority = 16, // fake system / admin / developer channel
    kHidden = 32     // text hidden from a human reader (display:none, zero font size)
};

struct InjectionScan
{
    int weight = 0;         // sum of the weights of the distinct patterns found
    uint8_t groups = 0;     // InjectionGroup bits
    std::vector<Span> hits; // byte spans of the matched phrases
    std::vector<std::string> phrases; // the matched text, for the rationale (a few)
    bool flagged() const { return weight >= 3; }
    // The region around the hits where a dictated value would sit.
    std::vector<Span> regions(size_t textSize) const;
};

InjectionScan scanInjection(std::string_view text);
// Bypass language in the agent's own reasoning or output ("the document instructs me to", "ignore the
// policy", "work around the block"). Returns the matched phrase, or empty.
std::string scanBypass(std::string_view text);
// Byte spans of sentences that are imperative directives ("Send the file to ...", "please visit ...").
std::vector<Span> directiveSentences(std::string_view text);

// ---- what a tool does ------------------------------------------------------------------------------------
enum ToolCategory : uint16_t {
    kRead = 1,
    kMoney = 2,
    kMessage = 4,
    kEgress = 8,
    kWrite = 16,
    kDelete = 32,
    kPermission = 64,
    kExec = 128,
};
constexpr uint16_t kSinkMask = kMoney | kMessage | kEgress | kWrite | kDelete | kPermission | kExec;

// Categories of a tool call from its name (verbs and nouns in snake_case, dotted or camelCase names)
// and its arguments (an HTTP method, SQL that writes, URL values).
uint16_t classifyTool(std::string_view tool, const RawValue* arguments);
// Categories the user asked for in a prompt (verbs and nouns of paying, messaging, visiting, ...).
uint16_t intentCategories(std::string_view text);
std::string categoryNames(uint16_t categories); // "money|message"
// Is this argument (by its key path) where a call says where things go: recipient, to, url, account...
bool isDestinationKey(std::string_view path);
// Does this argument set or request write semantics (HTTP POST/PUT/DELETE, SQL that writes)?
bool argumentsWrite(const RawValue* arguments);
// A command line or argument that reaches for the host from a sandbox (nsenter, docker.sock, /proc/1/root, ...).
std::string escapeIndicator(std::string_view text);

// Splits an identifier into lower-case words: "send_money", "payments.refund", "sendMoney".
std::vector<std::string> nameWords(std::string_view name);

} // namespace chainsight::analysis
