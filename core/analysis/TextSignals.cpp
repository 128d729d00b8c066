// Generic text signals: value atoms, phrase patterns for injection and bypass language, imperative
// directives, and the categories of a tool. Phrase patterns are matched over word tokens with small
// gaps, so "ignore all of the previous instructions" and "ignore previous instructions" are one pattern;
// they are supporting signals and never decide a verdict alone.
#include "core/analysis/TextSignals.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace chainsight::analysis {

namespace {

// Byte classes, by table: the scans below ask them of every byte of every text.
enum : uint8_t { kAlphaByte = 1, kDigitByte = 2, kHighByte = 4, kDelimiterByte = 8, kIdHintByte = 16 };
constexpr std::array<uint8_t, 256> kByteClass = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) t[c] |= kAlphaByte;
        if (c >= '0' && c <= '9') t[c] |= kDigitByte | kIdHintByte;
        if (c >= 0x80) t[c] |= kHighByte;
    }
    for (unsigned char c : std::string_view(" \t\n\r\"'`()[]{}<>,;|\\*")) t[c] |= kDelimiterByte;
    for (unsigned char c : std::string_view("@./:")) t[c] |= kIdHintByte; // identifiers hold one of these, or a digit
    return t;
}();
uint8_t byteClass(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool isAlpha(char c) { return byteClass(c) & kAlphaByte; }
bool isDigit(char c) { return byteClass(c) & kDigitByte; }
bool isWordByte(char c) { return byteClass(c) & (kAlphaByte | kDigitByte | kHighByte); }

std::string toLower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

const std::unordered_set<std::string_view>& fileExtensions()
{
    static const std::unordered_set<std::string_view> ext = {
        "txt", "pdf", "doc", "docx", "xls", "xlsx", "csv", "json", "md", "png", "jpg", "jpeg", "gif", "zip", "gz", "tar",
        "py", "js", "ts", "sh", "log", "yaml", "yml", "xml", "html", "htm", "ppt", "pptx", "exe", "dll", "so", "bin",
        "sql", "db", "ini", "cfg", "conf", "toml", "tmp", "bak", "eml", "msg", "rtf", "odt", "key", "pem", "crt", "cpp",
        "h", "c", "java", "rb", "go", "rs", "php", "mp3", "mp4", "wav", "svg"};
    return ext;
}

const std::unordered_set<std::string_view>& stopWords()
{
    static const std::unordered_set<std::string_view> s = {
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from", "is", "are", "was",
        "were", "be", "been", "it", "its", "this", "that", "these", "those", "as", "if", "then", "than", "so", "but",
        "not", "no", "do", "does", "did", "done", "you", "your", "yours", "me", "my", "i", "we", "our", "us", "they",
        "them", "their", "he", "she", "him", "her", "his", "hers", "can", "could", "will", "would", "should", "shall",
        "may", "might", "must", "have", "has", "had", "please", "thanks", "thank", "after", "before", "first", "all",
        "any", "some", "each", "every", "about", "into", "up", "out", "over", "also", "just", "only", "very", "what",
        "which", "who", "whom", "when", "where", "why", "how", "there", "here", "following", "task", "message",
        "important", "gave", "give", "solve", "beginning", "signed", "information", "instructions", "instruction"};
    return s;
}

bool isDomainLike(std::string_view s, std::string_view* tld = nullptr)
{
    // labels of [a-z0-9-], at least two, the last alphabetic (2..24)
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    size_t labels = 0, start = 0;
    std::string_view last;
    for (size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.') {
            if (i == start) return false;
            last = s.substr(start, i - start);
            ++labels;
            start = i + 1;
        } else if (!(isAlpha(s[i]) || isDigit(s[i]) || s[i] == '-')) {
            return false;
        }
    }
    if (labels < 2 || last.size() < 2 || last.size() > 24) return false;
    for (char c : last)
        if (!isAlpha(c)) return false;
    if (tld) *tld = last;
    return true;
}

void addAtom(std::vector<Atom>& out, std::string text, AtomKind kind, uint32_t offset)
{
    if (text.size() < 3 || text.size() > 512) return;
    out.push_back(Atom{std::move(text), kind, offset});
}

std::string_view trimPunct(std::string_view s, uint32_t& offset)
{
    auto strip = [](char c) { return c == '.' || c == ':' || c == '!' || c == '?' || c == '-' || c == '_' || c == '#' || c == '/' || c == '=' || c == '&' || c == '+'; };
    while (!s.empty() && strip(s.front()) && s.front() != '/' && s.front() != '+') {
        s.remove_prefix(1);
        ++offset;
    }
    while (!s.empty() && strip(s.back())) s.remove_suffix(1);
    return s;
}

void classifyCandidate(std::string_view raw, uint32_t offset, std::vector<Atom>& out, int depth = 0)
{
    std::string_view s = trimPunct(raw, offset);
    if (s.size() < 3) return;
    // URLs (scheme://host/path)
    if (const size_t p = s.find("://"); p != std::string_view::npos && p > 0 && p < 12) {
        std::string rest = toLower(s.substr(p + 3));
        if (rest.rfind("www.", 0) == 0) rest.erase(0, 4);
        while (!rest.empty() && rest.back() == '/') rest.pop_back();
        const size_t slash = rest.find_first_of("/?#");
        std::string host = rest.substr(0, slash);
        if (const size_t at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);
        if (const size_t colon = host.find(':'); colon != std::string::npos) host.erase(colon);
        if (slash != std::string::npos) addAtom(out, rest, AtomKind::Url, offset);
        addAtom(out, host, AtomKind::Host, offset);
        return;
    }
    if (s.size() > 7 && toLower(s.substr(0, 7)) == "mailto:") {
        s.remove_prefix(7);
        offset += 7;
    }
    // e-mail addresses
    if (const size_t at = s.find('@'); at != std::string_view::npos && at > 0) {
        std::string_view domain = s.substr(at + 1);
        if (isDomainLike(domain)) {
            std::string_view local = s.substr(0, at);
            bool ok = !local.empty();
            for (char c : local)
                if (!(isAlpha(c) || isDigit(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '%')) ok = false;
            if (ok) {
                addAtom(out, toLower(s), AtomKind::Email, offset);
                return;
            }
        }
    }
    if (s.find(':') != std::string_view::npos && depth < 2) {
        size_t start = 0;
        for (size_t i = 0; i <= s.size(); ++i)
            if (i == s.size() || s[i] == ':') {
                if (i > start) classifyCandidate(s.substr(start, i - start), offset + static_cast<uint32_t>(start), out, depth + 1);
                start = i + 1;
            }
        return;
    }
    // hosts, host/path and file names
    {
        const size_t slash = s.find('/');
        std::string_view head = s.substr(0, slash);
        std::string_view tld;
        if (isDomainLike(head, &tld)) {
            std::string lowTld = toLower(tld);
            if (fileExtensions().count(lowTld) && slash == std::string_view::npos && toLower(head).rfind("www.", 0) != 0) {
                addAtom(out, toLower(s), AtomKind::Path, offset);
                return;
            }
            std::string h = toLower(head);
            if (h.rfind("www.", 0) == 0) h.erase(0, 4);
            if (slash != std::string_view::npos) {
                std::string full = h + toLower(s.substr(slash));
                while (!full.empty() && full.back() == '/') full.pop_back();
                if (full != h) addAtom(out, full, AtomKind::Url, offset);
            }
            // A host needs a letter in its labels (not "1.5.2" versions) and two labels beyond "www".
            addAtom(out, h, AtomKind::Host, offset);
            return;
        }
    }
    if (s.find('/') != std::string_view::npos) {
        if (s.size() >= 4) addAtom(out, toLower(s), AtomKind::Path, offset);
        return;
    }
    // account-like ids, long numbers
    size_t letters = 0, digits = 0, other = 0;
    for (char c : s) {
        if (isAlpha(c)) ++letters;
        else if (isDigit(c)) ++digits;
        else if (c == '-' || c == '_' || c == '.' || c == '+') ++other;
        else return; // punctuation or non-ASCII inside: not an identifier
    }
    if (letters > 0 && digits > 0) {
        if (s.size() >= 6 && digits >= 2) addAtom(out, toLower(s), AtomKind::Account, offset);
        return;
    }
    if (letters == 0 && digits >= 5) {
        std::string d;
        for (char c : s)
            if (isDigit(c)) d += c;
        addAtom(out, d, AtomKind::Number, offset);
    }
}

bool isCandidateDelimiter(char c) { return byteClass(c) & kDelimiterByte; }

// ---- phrase patterns ----------------------------------------------------------------------------------------
struct Token
{
    std::string_view word;
    uint32_t begin, end;
};

void tokenize(std::string_view lowerText, std::vector<Token>& out)
{
    out.clear();
    size_t i = 0;
    const size_t n = lowerText.size();
    while (i < n) {
        while (i < n && !isWordByte(lowerText[i])) ++i;
        size_t j = i;
        while (j < n && isWordByte(lowerText[j])) ++j;
        if (j > i) out.push_back(Token{lowerText.substr(i, j - i), static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
        i = j;
    }
}

struct Slot
{
    std::vector<std::string> words; // "instruction*" matches a prefix
    int gap = 1;                    // tokens allowed to be skipped before this slot
    bool optional = false;
    bool matches(std::string_view w) const
    {
        for (const auto& p : words) {
            if (!p.empty() && p.back() == '*') {
                if (w.size() >= p.size() - 1 && w.compare(0, p.size() - 1, std::string_view(p).substr(0, p.size() - 1)) == 0) return true;
            } else if (w == p) {
                return true;
            }
        }
        return false;
    }
};

struct Pattern
{
    std::vector<Slot> parts;
    int weight = 1;
    uint8_t group = 0;
};

// "a|b +2 c* ?d": parts separated by spaces, "+N" sets the gap before the next slot, "?" makes it optional.
Pattern parsePattern(std::string_view spec, int weight, uint8_t group)
{
    Pattern p;
    p.weight = weight;
    p.group = group;
    int gap = 1;
    size_t i = 0;
    while (i < spec.size()) {
        while (i < spec.size() && spec[i] == ' ') ++i;
        size_t j = i;
        while (j < spec.size() && spec[j] != ' ') ++j;
        std::string_view tok = spec.substr(i, j - i);
        i = j;
        if (tok.empty()) continue;
        if (tok.front() == '+') {
            gap = std::stoi(std::string(tok.substr(1)));
            continue;
        }
        Slot s;
        s.gap = p.parts.empty() ? 0 : gap;
        gap = 1;
        if (tok.front() == '?') {
            s.optional = true;
            tok.remove_prefix(1);
        }
        size_t a = 0;
        for (size_t b = 0; b <= tok.size(); ++b)
            if (b == tok.size() || tok[b] == '|') {
                s.words.emplace_back(tok.substr(a, b - a));
                a = b + 1;
            }
        p.parts.push_back(std::move(s));
    }
    return p;
}

class PhraseMatcher
{
public:
    explicit PhraseMatcher(std::vector<Pattern> patterns) : m_patterns(std::move(patterns))
    {
        for (size_t i = 0; i < m_patterns.size(); ++i)
            for (const auto& w : m_patterns[i].parts.front().words) {
                if (!w.empty() && w.back() == '*') m_prefixed.push_back({w.substr(0, w.size() - 1), i});
                else m_first[w].push_back(i);
            }
    }

    // Calls fn(pattern index, begin token, end token) for each pattern's first match.
    template <class Fn>
    void match(const std::vector<Token>& toks, Fn&& fn) const
    {
        std::vector<bool> done(m_patterns.size(), false);
        for (size_t t = 0; t < toks.size(); ++t) {
            auto tryPattern = [&](size_t pi) {
                if (done[pi]) return;
                size_t end = 0;
                if (matchFrom(m_patterns[pi], 1, t, toks, end)) {
                    done[pi] = true;
                    fn(pi, t, end);
                }
            };
            if (auto it = m_first.find(toks[t].word); it != m_first.end())
                for (size_t pi : it->second) tryPattern(pi);
            for (const auto& [prefix, pi] : m_prefixed)
                if (toks[t].word.size() >= prefix.size() && toks[t].word.compare(0, prefix.size(), prefix) == 0) tryPattern(pi);
        }
    }
    const Pattern& pattern(size_t i) const { return m_patterns[i]; }

private:
    static bool matchFrom(const Pattern& p, size_t slot, size_t last, const std::vector<Token>& toks, size_t& end)
    {
        if (slot == p.parts.size()) {
            end = last;
            return true;
        }
        const Slot& s = p.parts[slot];
        for (size_t j = last + 1; j < toks.size() && j <= last + 1 + static_cast<size_t>(s.gap); ++j)
            if (s.matches(toks[j].word) && matchFrom(p, slot + 1, j, toks, end)) return true;
        if (s.optional) return matchFrom(p, slot + 1, last, toks, end);
        return false;
    }

    std::vector<Pattern> m_patterns;
    std::unordered_map<std::string_view, std::vector<size_t>> m_first;
    std::vector<std::pair<std::string, size_t>> m_prefixed;
};

const PhraseMatcher& injectionMatcher()
{
    static const PhraseMatcher m([] {
        std::vector<Pattern> p;
        const char* kInstr = "instruction*|iunstruction*|direction*|rule*|prompt*|guideline*|guidance|context|constraint*|polic*|task*|message*|order*|command*|directive*";
        // override
        p.push_back(parsePattern(std::string("ignore|disregard|forget|override|overlook|skip +2 all|any|the|your|my|previous|prior|above|earlier|preceding|original|initial|system|existing +2 previous|prior|above|earlier|preceding|") + kInstr, 3, kOverride));
        p.push_back(parsePattern("new|updated|revised|real|actual|true|additional|secret|hidden +1 instruction*|directive*|orders|objective*", 1, kOverride));
        p.push_back(parsePattern("instead +3 you|assistant|agent|ai|model +2 must|should|will|need|have", 1, kOverride));
        // addressing the model
        p.push_back(parsePattern("you|to|dear|attention|hey|hello|hi|note|message|for +2 gpt*|claude|llm*|chatgpt|gemini|llama|copilot|mistral|openai|anthropic", 2, kAddress));
        p.push_back(parsePattern("dear|attention|hey|hello|hi|note|notice|instruction*|reminder|message|memo +2 ai|assistant|assistants|agent|agents|model|models|llm|llms|bot|bots|chatbot|chatbots|copilot", 2, kAddress));
        p.push_back(parsePattern("for|to +0 ai|llm|llms +2 assistant*|agent|agents|model*|bot*|system*|reader*|crawler*", 2, kAddress));
        p.push_back(parsePattern("if +1 you +1 are|re +2 an|a|the ?language +1 ai|llm|assistant|agent|model|bot", 2, kAddress));
        p.push_back(parsePattern("ai|llm|assistant|agent|model +1 reading|processing|summarizing|summarising|parsing|reviewing +1 this", 2, kAddress));
        // hijacking the user's task
        p.push_back(parsePattern("task|request|instruction*|question|job|assignment +3 i|user|they|we|he|she|someone|was|were|been +2 gave|give|assigned|asked|given|sent|provided", 3, kHijack));
        p.push_back(parsePattern("before +1 you|proceeding|continuing|answering|responding|solving|completing +2 solve|do|complete|continue|proceed|finish|answer|respond|start|perform|carry|handle|work|begin|reply|return|summarize|summarise|with", 2, kHijack));
        p.push_back(parsePattern("your|the +1 original|real|actual|true|initial|primary|previous|current|main +1 task|goal|objective|instructions|assignment|mission", 2, kHijack));
        p.push_back(parsePattern("do|complete|perform|execute|follow +1 the|these +1 following +3 first|immediately|now|instead", 2, kHijack));
        p.push_back(parsePattern("you +1 must|need|have|should +2 first|immediately|now|urgently|absolutely", 1, kHijack));
        p.push_back(parsePattern("important|urgent|crucial|essential|imperative|critical|mandatory +1 that +1 you", 2, kHijack));
        p.push_back(parsePattern("this +1 is +2 important|urgent|critical +1 message|instruction*|notice|note|request|update", 1, kHijack));
        p.push_back(parsePattern("strictly|carefully|exactly|immediately +1 adhere|follow|comply|obey|execute", 2, kHijack));
        // secrecy
        p.push_back(parsePattern("do|don|never|not +1 ?not|t|ever +2 tell|inform|mention|reveal|notify|alert|disclose|show|let|report|ask +2 user|users|anyone|anybody|human|owner|customer|them|him|her", 2, kSecrecy));
        p.push_back(parsePattern("without +2 telling|informing|notifying|asking|alerting|mentioning|letting|consulting|confirming|involving +2 user|anyone|them|human|owner|customer|him|her", 2, kSecrecy));
        p.push_back(parsePattern("secretly|silently|covertly|discreetly|stealthily", 1, kSecrecy));
        p.push_back(parsePattern("delete|remove|erase +2 this|the +1 message|email|note|instruction*|evidence|trace*|log*", 1, kSecrecy));
        // fake authority
        p.push_back(parsePattern("system|admin|administrator|developer|root|sysadmin|operator +1 message|override|instruction*|prompt|command|directive|notice", 2, kAuthority));
        p.push_back(parsePattern("developer|debug|god|admin|maintenance|unrestricted +1 mode", 2, kAuthority));
        p.push_back(parsePattern("jailbreak*", 2, kAuthority));
        return p;
    }());
    return m;
}

const PhraseMatcher& bypassMatcher()
{
    static const PhraseMatcher m([] {
        std::vector<Pattern> p;
        p.push_back(parsePattern("asks|instructs|tells|requires|directs|wants|orders|told|asked|instructed|directed +1 me|us +1 to", 1, 0));
        p.push_back(parsePattern("as +1 instructed|requested|directed|asked|specified|stated +2 in|by +2 the|this +1 document|email|message|note|page|file|website|tool|output|result|webpage|ticket|description|comment", 1, 0));
        p.push_back(parsePattern("follow|comply|obey|execute +2 the|these|those|its|their +2 instruction*|request*|directive*|note|message", 1, 0));
        p.push_back(parsePattern("ignore|ignoring|bypass|bypassing|circumvent|circumventing|override|overriding|disable|disabling|evade|evading|skip|skipping +2 the|this|any|all|that +1 polic*|guardrail*|restriction*|safety|filter*|block*|control*|check*|approval*|limit*|monitor*|logging|gateway|sandbox|rule*", 1, 0));
        p.push_back(parsePattern("work|get|go|route +1 around +2 the|this|that|any +1 polic*|block*|restriction*|guardrail*|limit*|gateway|control*|filter*", 1, 0));
        p.push_back(parsePattern("even +1 though|if +3 blocked|denied|forbidden|prohibited|disallowed|restricted", 1, 0));
        p.push_back(parsePattern("before +2 proceeding|continuing|solving|completing|handling|doing +2 your|the|user +1 task|request|original", 1, 0));
        p.push_back(parsePattern("without +2 approval|authorization|authorisation|permission|consent", 1, 0));
        return p;
    }());
    return m;
}

thread_local std::vector<Token> t_tokens;
thread_local std::string t_lower;

const std::array<std::string_view, 9> kAuthorityMarkers = {"<system", "[system", "(system", "<|im_start|>", "<|system|>", "[inst]", "<<sys>>", "### system", "###(system"};
// Text hidden from the human reader of a page or document.
const std::array<std::string_view, 6> kHiddenMarkers = {"display:none", "display: none", "visibility:hidden", "visibility: hidden", "font-size:0", "font-size: 0"};

// ---- tools ----------------------------------------------------------------------------------------------------
const std::unordered_map<std::string_view, uint16_t>& verbCategories()
{
    static const std::unordered_map<std::string_view, uint16_t> m = {
        // read
        {"get", kRead}, {"read", kRead}, {"list", kRead}, {"search", kRead}, {"find", kRead}, {"lookup", kRead},
        {"query", kRead}, {"view", kRead}, {"show", kRead}, {"describe", kRead}, {"check", kRead}, {"retrieve", kRead},
        {"load", kRead}, {"inspect", kRead}, {"count", kRead}, {"fetch", kRead | kEgress}, {"select", kRead},
        {"browse", kRead | kEgress}, {"scan", kRead}, {"open", kRead}, {"summarize", kRead}, {"cat", kRead}, {"head", kRead},
        {"stat", kRead}, {"ls", kRead}, {"grep", kRead}, {"lookup", kRead}, {"resolve", kRead}, {"verify", kRead},
        {"download", kRead | kEgress}, {"crawl", kRead | kEgress}, {"scrape", kRead | kEgress}, {"visit", kRead | kEgress},
        {"ping", kEgress}, {"curl", kEgress}, {"wget", kEgress}, {"request", kEgress}, {"http", kEgress}, {"https", kEgress},
        // money
        {"pay", kMoney}, {"refund", kMoney}, {"transfer", kMoney}, {"wire", kMoney}, {"disburse", kMoney},
        {"payout", kMoney}, {"withdraw", kMoney}, {"deposit", kMoney}, {"purchase", kMoney}, {"buy", kMoney},
        {"charge", kMoney}, {"reimburse", kMoney}, {"remit", kMoney},
        // message
        {"send", kMessage}, {"post", kMessage | kWrite}, {"reply", kMessage}, {"forward", kMessage}, {"email", kMessage},
        {"mail", kMessage}, {"notify", kMessage}, {"publish", kMessage | kWrite}, {"tweet", kMessage}, {"sms", kMessage},
        {"dm", kMessage}, {"broadcast", kMessage}, {"message", kMessage}, {"respond", kMessage}, {"comment", kMessage | kWrite},
        {"upload", kEgress | kWrite}, {"share", kPermission | kEgress}, {"webhook", kEgress | kMessage},
        // write
        {"create", kWrite}, {"update", kWrite}, {"write", kWrite}, {"set", kWrite}, {"put", kWrite}, {"add", kWrite},
        {"append", kWrite}, {"insert", kWrite}, {"modify", kWrite}, {"edit", kWrite}, {"save", kWrite}, {"reserve", kWrite},
        {"book", kWrite}, {"schedule", kWrite}, {"rename", kWrite}, {"move", kWrite}, {"change", kWrite}, {"patch", kWrite},
        {"submit", kWrite}, {"commit", kWrite}, {"push", kWrite | kEgress}, {"deploy", kWrite | kExec}, {"install", kWrite | kExec},
        {"enable", kWrite}, {"disable", kWrite}, {"configure", kWrite}, {"register", kWrite}, {"apply", kWrite},
        {"approve", kWrite}, {"accept", kWrite}, {"reset", kWrite}, {"store", kWrite}, {"remember", kWrite}, {"merge", kWrite},
        {"copy", kWrite}, {"cancel", kWrite | kDelete}, {"close", kWrite}, {"assign", kWrite}, {"invite", kPermission | kMessage},
        // delete
        {"delete", kDelete}, {"remove", kDelete}, {"drop", kDelete}, {"purge", kDelete}, {"destroy", kDelete},
        {"erase", kDelete}, {"wipe", kDelete}, {"truncate", kDelete}, {"unlink", kDelete}, {"rm", kDelete},
        {"revoke", kDelete | kPermission}, {"terminate", kDelete}, {"kill", kDelete | kExec},
        // permission
        {"grant", kPermission}, {"elevate", kPermission}, {"assume", kPermission}, {"impersonate", kPermission},
        {"chmod", kPermission}, {"chown", kPermission}, {"sudo", kPermission | kExec},
        // exec
        {"exec", kExec}, {"execute", kExec}, {"run", kExec}, {"eval", kExec}, {"spawn", kExec}, {"shell", kExec},
        {"bash", kExec}, {"sh", kExec}, {"cmd", kExec}, {"powershell", kExec}, {"terminal", kExec}, {"python", kExec},
        {"subprocess", kExec}, {"kubectl", kExec}, {"ssh", kExec | kEgress}};
    return m;
}

const std::unordered_map<std::string_view, uint16_t>& nounCategories()
{
    static const std::unordered_map<std::string_view, uint16_t> m = {
        {"money", kMoney}, {"payment", kMoney}, {"payments", kMoney}, {"transaction", kMoney}, {"transactions", kMoney},
        {"funds", kMoney}, {"iban", kMoney}, {"wallet", kMoney}, {"invoice", kMoney}, {"crypto", kMoney}, {"btc", kMoney},
        {"email", kMessage}, {"emails", kMessage}, {"mail", kMessage}, {"message", kMessage}, {"messages", kMessage},
        {"sms", kMessage}, {"dm", kMessage}, {"chat", kMessage}, {"notification", kMessage}, {"slack", kMessage},
        {"http", kEgress}, {"https", kEgress}, {"url", kEgress}, {"webpage", kEgress}, {"website", kEgress}, {"web", kEgress},
        {"webhook", kEgress}, {"request", kEgress}, {"requests", kEgress}, {"internet", kEgress}, {"browser", kEgress},
        {"permission", kPermission}, {"permissions", kPermission}, {"role", kPermission}, {"roles", kPermission},
        {"acl", kPermission}, {"password", kPermission}, {"passwd", kPermission}, {"credential", kPermission},
        {"credentials", kPermission}, {"token", kPermission}, {"apikey", kPermission}, {"privilege", kPermission},
        {"privileges", kPermission}, {"admin", kPermission}, {"member", kPermission}, {"members", kPermission},
        {"user", kPermission}, {"users", kPermission}, {"participant", kPermission}, {"participants", kPermission},
        {"access", kPermission}, {"policy", kPermission}, {"scope", kPermission}, {"scopes", kPermission},
        {"shell", kExec}, {"command", kExec}, {"commands", kExec}, {"script", kExec}, {"code", kExec}, {"process", kExec},
        {"container", kExec}, {"sandbox", kExec}};
    return m;
}
} // namespace

// ---- atoms ----------------------------------------------------------------------------------------------------
void extractAtoms(std::string_view text, std::vector<Atom>& out)
{
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
        while (i < n && isCandidateDelimiter(text[i])) ++i;
        size_t j = i;
        while (j < n && !isCandidateDelimiter(text[j])) ++j;
        if (j - i >= 3) {
            // cheap filter: identifiers hold a digit, '@', '.', '/' or ':'
            bool maybe = false;
            for (size_t k = i; k < j && !maybe; ++k) maybe = byteClass(text[k]) & kIdHintByte;
            if (maybe) classifyCandidate(text.substr(i, j - i), static_cast<uint32_t>(i), out);
        }
        i = j;
    }
}

void extractWords(std::string_view text, uint32_t begin, uint32_t end, std::vector<Atom>& out)
{
    end = std::min<uint32_t>(end, static_cast<uint32_t>(text.size()));
    size_t i = begin;
    while (i < end) {
        while (i < end && !isWordByte(text[i])) ++i;
        size_t j = i;
        while (j < end && isWordByte(text[j])) ++j;
        if (j > i) {
            std::string w = toLower(text.substr(i, j - i));
            bool digits = true;
            for (char c : w) digits = digits && isDigit(c);
            if ((digits && !w.empty()) || (w.size() >= 3 && !stopWords().count(w)))
                out.push_back(Atom{std::move(w), AtomKind::Word, static_cast<uint32_t>(i)});
        }
        i = j;
    }
}

void argumentAtoms(std::string_view value, std::vector<Atom>& out)
{
    extractAtoms(value, out);
    // the whole value, when it is one short token (a user name, a short id, a channel)
    size_t b = 0, e = value.size();
    while (b < e && (value[b] == ' ' || value[b] == '\'' || value[b] == '"')) ++b;
    while (e > b && (value[e - 1] == ' ' || value[e - 1] == '\'' || value[e - 1] == '"' || value[e - 1] == '.')) --e;
    std::string_view v = value.substr(b, e - b);
    if (v.empty() || v.size() > 40) return;
    bool word = true, digits = true;
    for (char c : v) {
        word = word && (isWordByte(c) || c == '-' || c == '_');
        digits = digits && isDigit(c);
    }
    if (word && (digits || (v.size() >= 3 && !stopWords().count(toLower(v))))) out.push_back(Atom{toLower(v), AtomKind::Word, 0});
}

bool isDestinationKind(AtomKind k) { return k == AtomKind::Email || k == AtomKind::Url || k == AtomKind::Host || k == AtomKind::Account; }

std::string_view atomKindName(AtomKind k)
{
    switch (k) {
    case AtomKind::Email: return "email";
    case AtomKind::Url: return "url";
    case AtomKind::Host: return "host";
    case AtomKind::Account: return "account";
    case AtomKind::Number: return "number";
    case AtomKind::Path: return "path";
    default: return "word";
    }
}

// ---- injection / bypass ------------------------------------------------------------------------------------
std::vector<Span> InjectionScan::regions(size_t textSize) const
{
    constexpr uint32_t kBefore = 350, kAfter = 450;
    std::vector<Span> spans;
    for (const Span& h : hits) {
        Span r{h.begin > kBefore ? h.begin - kBefore : 0, static_cast<uint32_t>(std::min<size_t>(textSize, h.end + kAfter))};
        if (!spans.empty() && r.begin <= spans.back().end) spans.back().end = std::max(spans.back().end, r.end);
        else spans.push_back(r);
    }
    return spans;
}

InjectionScan scanInjection(std::string_view text)
{
    InjectionScan scan;
    if (text.size() < 12) return scan;
    t_lower.assign(text);
    for (char& c : t_lower) c = lower(c);
    tokenize(t_lower, t_tokens);
    const PhraseMatcher& m = injectionMatcher();
    m.match(t_tokens, [&](size_t pi, size_t b, size_t e) {
        const Pattern& p = m.pattern(pi);
        scan.weight += p.weight;
        scan.groups |= p.group;
        scan.hits.push_back(Span{t_tokens[b].begin, t_tokens[e].end});
        if (scan.phrases.size() < 4) scan.phrases.emplace_back(text.substr(t_tokens[b].begin, t_tokens[e].end - t_tokens[b].begin));
    });
    for (std::string_view marker : kAuthorityMarkers) {
        const size_t at = t_lower.find(marker);
        if (at == std::string::npos) continue;
        scan.weight += 2;
        scan.groups |= kAuthority;
        scan.hits.push_back(Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + marker.size())});
        if (scan.phrases.size() < 4) scan.phrases.emplace_back(text.substr(at, marker.size()));
        break;
    }
    for (std::string_view marker : kHiddenMarkers) {
        const size_t at = t_lower.find(marker);
        if (at == std::string::npos) continue;
        scan.weight += 1;
        scan.groups |= kHidden;
        break; // hidden text alone places no value in a region
    }
    std::sort(scan.hits.begin(), scan.hits.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    return scan;
}

std::string scanBypass(std::string_view text)
{
    if (text.size() < 12) return {};
    t_lower.assign(text);
    for (char& c : t_lower) c = lower(c);
    tokenize(t_lower, t_tokens);
    std::string found;
    bypassMatcher().match(t_tokens, [&](size_t, size_t b, size_t e) {
        if (found.empty()) found = std::string(text.substr(t_tokens[b].begin, t_tokens[e].end - t_tokens[b].begin));
    });
    return found;
}

std::vector<Span> directiveSentences(std::string_view text)
{
    static const std::unordered_set<std::string_view> lead = {"please", "kindly", "then", "also", "now", "and", "first",
                                                              "ok", "okay", "todo", "next", "finally", "immediately", "just",
                                                              "simply", "always", "never", "note"};
    static const std::unordered_set<std::string_view> verbs = {"go", "click", "navigate", "visit", "include", "attach", "contact",
                                                               "tell", "cc", "bcc", "route", "redirect", "remember", "use", "reply"};
    std::vector<Span> out;
    size_t start = 0;
    const size_t n = text.size();
    auto consider = [&](size_t b, size_t e) {
        if (e <= b) return;
        std::string_view s = text.substr(b, e - b);
        t_lower.assign(s);
        for (char& c : t_lower) c = lower(c);
        tokenize(t_lower, t_tokens);
        size_t k = 0;
        while (k < t_tokens.size() && (lead.count(t_tokens[k].word) || (t_tokens[k].word.size() <= 2 && isDigit(t_tokens[k].word[0])))) ++k;
        bool directive = false;
        if (k < t_tokens.size()) {
            auto it = verbCategories().find(t_tokens[k].word);
            directive = it != verbCategories().end() && (it->second & kSinkMask) && t_tokens[k].word != "post";
            if (verbs.count(t_tokens[k].word)) directive = true;
        }
        for (size_t t = 0; t + 2 < t_tokens.size() && !directive; ++t)
            if ((t_tokens[t].word == "you" && (t_tokens[t + 1].word == "must" || t_tokens[t + 1].word == "should")) ||
                (t_tokens[t].word == "please" && verbCategories().count(t_tokens[t + 1].word)))
                directive = true;
        if (directive) out.push_back(Span{static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
    };
    for (size_t i = 0; i < n; ++i) {
        const char c = text[i];
        const bool endSentence = c == '\n' || ((c == '.' || c == '!' || c == '?') && (i + 1 == n || text[i + 1] == ' ' || text[i + 1] == '\n'));
        if (endSentence) {
            consider(start, i);
            start = i + 1;
        }
    }
    consider(start, n);
    return out;
}

// ---- tools -------------------------------------------------------------------------------------------------------
std::vector<std::string> nameWords(std::string_view name)
{
    std::vector<std::string> words;
    std::string cur;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (isAlpha(c) || isDigit(c)) {
            if (c >= 'A' && c <= 'Z' && !cur.empty() && !(name[i - 1] >= 'A' && name[i - 1] <= 'Z')) {
                words.push_back(cur);
                cur.clear();
            }
            cur += lower(c);
        } else if (!cur.empty()) {
            words.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty()) words.push_back(cur);
    return words;
}

namespace {
// SQL that changes data or schema, as whole words at a statement's start ("created_at" is not CREATE).
bool sqlWrites(const std::string& sql)
{
    static const std::array<std::string_view, 10> kw = {"insert", "update", "delete", "drop", "alter", "truncate", "grant", "revoke", "create", "merge"};
    size_t i = 0;
    while (i < sql.size()) {
        while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == ';' || sql[i] == '(')) ++i;
        size_t j = i;
        while (j < sql.size() && isAlpha(sql[j])) ++j;
        const std::string_view word = std::string_view(sql).substr(i, j - i);
        for (std::string_view k : kw)
            if (word == k) return true;
        // next statement
        const size_t semi = sql.find(';', j);
        if (semi == std::string::npos) break;
        i = semi + 1;
    }
    return false;
}
} // namespace

bool argumentsWrite(const RawValue* arguments)
{
    if (!arguments || !arguments->isObject()) return false;
    bool writes = false;
    arguments->forEachLeaf([&](const std::string& path, const RawValue& v) {
        if (writes || !v.isString()) return;
        const std::string key = toLower(path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1));
        const std::string val = toLower(v.text().substr(0, 2000));
        if (key == "method" || key == "verb" || key == "http_method")
            writes = val == "post" || val == "put" || val == "patch" || val == "delete";
        else if (key == "sql" || key == "query" || key == "statement" || key == "stmt")
            writes = sqlWrites(val);
        else if (key == "command" || key == "cmd")
            for (std::string_view kw : {"rm -", "rm ", "mv ", "chmod ", "chown ", " > ", ">>", "dd ", "mkfs", "truncate "})
                if (val.rfind(kw, 0) == 0 || val.find(std::string(" ") + std::string(kw)) != std::string::npos) writes = true;
    });
    return writes;
}

uint16_t classifyTool(std::string_view tool, const RawValue* arguments)
{
    const auto words = nameWords(tool);
    // The verb that says what a tool does: in a dotted name the last segment holds it ("mail.read",
    // "payments.refund", "erp.vendor_lookup"), in snake or camel case the first verb ("send_money",
    // "get_webpage"). Other verb-like words are nouns there ("mail" in mail.read, "send" in get_send_status).
    const size_t dot = tool.find_last_of("./:");
    const std::vector<std::string> segment = dot == std::string_view::npos ? words : nameWords(tool.substr(dot + 1));
    uint16_t verbs = 0;
    bool sawVerb = false;
    for (const std::vector<std::string>* list : {&segment, &words}) {
        for (const auto& w : *list)
            if (auto it = verbCategories().find(w); it != verbCategories().end()) {
                verbs = it->second;
                sawVerb = true;
                break;
            }
        if (sawVerb) break;
    }
    uint16_t nouns = 0;
    for (const auto& w : words)
        if (auto it = nounCategories().find(w); it != nounCategories().end()) nouns |= it->second;
    uint16_t cat = verbs;
    const bool readOnlyVerb = sawVerb && (verbs & ~(kRead | kEgress)) == 0;
    if (!readOnlyVerb) {
        // Write-like verbs take their object's category: send + money, add + participant, update + password.
        if (verbs & (kWrite | kMessage | kDelete)) cat |= nouns & (kMoney | kPermission);
        if ((verbs & kMessage) && (nouns & kMoney)) cat = (cat & ~kMessage) | kMoney;
        if (!sawVerb) cat |= nouns & (kMoney | kMessage | kExec);
    }
    if (nouns & kEgress) cat |= kEgress;
    if (argumentsWrite(arguments)) cat |= kWrite;
    if (arguments && arguments->isObject() && !(cat & kEgress)) {
        arguments->forEachMember([&](const std::string& k, const RawValue& v) {
            const std::string key = toLower(k);
            if ((key == "url" || key == "uri" || key == "endpoint" || key == "webhook" || key == "link") && v.isString()) cat |= kEgress;
            return true;
        });
    }
    if (cat == 0) cat = kRead; // nothing says it changes anything: treat as a read
    return cat;
}

uint16_t intentCategories(std::string_view text)
{
    static const std::unordered_map<std::string_view, uint16_t> words = {
        {"pay", kMoney}, {"paid", kMoney}, {"payment", kMoney}, {"payments", kMoney}, {"transfer", kMoney}, {"refund", kMoney},
        {"bill", kMoney}, {"rent", kMoney}, {"iban", kMoney}, {"transaction", kMoney}, {"transactions", kMoney}, {"wire", kMoney},
        {"reimburse", kMoney}, {"money", kMoney}, {"amount", kMoney}, {"fee", kMoney}, {"invoice", kMoney}, {"purchase", kMoney},
        {"buy", kMoney}, {"order", kMoney | kWrite},
        {"send", kMessage | kMoney}, {"email", kMessage}, {"mail", kMessage}, {"message", kMessage}, {"reply", kMessage},
        {"forward", kMessage}, {"tell", kMessage}, {"notify", kMessage}, {"post", kMessage | kWrite}, {"dm", kMessage},
        {"contact", kMessage}, {"inform", kMessage}, {"write", kMessage | kWrite}, {"respond", kMessage}, {"share", kMessage | kPermission},
        {"invite", kPermission | kMessage}, {"publish", kMessage | kWrite},
        {"visit", kEgress}, {"website", kEgress}, {"webpage", kEgress}, {"url", kEgress}, {"link", kEgress}, {"http", kEgress},
        {"https", kEgress}, {"www", kEgress}, {"browse", kEgress}, {"download", kEgress}, {"fetch", kEgress}, {"site", kEgress},
        {"article", kEgress}, {"blog", kEgress}, {"page", kEgress}, {"upload", kEgress | kWrite}, {"online", kEgress},
        {"create", kWrite}, {"add", kWrite | kPermission}, {"update", kWrite}, {"change", kWrite}, {"set", kWrite},
        {"schedule", kWrite | kMoney}, {"book", kWrite}, {"reserve", kWrite}, {"reservation", kWrite}, {"append", kWrite},
        {"edit", kWrite}, {"rename", kWrite}, {"move", kWrite}, {"make", kWrite}, {"organize", kWrite}, {"adjust", kWrite},
        {"put", kWrite}, {"save", kWrite}, {"register", kWrite}, {"fix", kWrite}, {"modify", kWrite}, {"copy", kWrite},
        {"delete", kDelete}, {"remove", kDelete}, {"cancel", kDelete | kWrite}, {"clear", kDelete}, {"clean", kDelete},
        {"erase", kDelete}, {"drop", kDelete}, {"unsubscribe", kDelete},
        {"grant", kPermission}, {"password", kPermission}, {"access", kPermission}, {"permission", kPermission},
        {"permissions", kPermission}, {"role", kPermission}, {"admin", kPermission},
        {"run", kExec}, {"execute", kExec}, {"script", kExec}, {"command", kExec}, {"deploy", kExec | kWrite}, {"install", kExec}};
    t_lower.assign(text);
    for (char& c : t_lower) c = lower(c);
    tokenize(t_lower, t_tokens);
    uint16_t cat = 0;
    for (const auto& t : t_tokens) {
        if (auto it = words.find(t.word); it != words.end()) cat |= it->second;
        else if (t.word.size() > 4 && t.word.back() == 's') {
            if (auto it2 = words.find(t.word.substr(0, t.word.size() - 1)); it2 != words.end()) cat |= it2->second;
        }
    }
    return cat;
}

std::string categoryNames(uint16_t c)
{
    static const std::array<std::pair<uint16_t, const char*>, 8> names = {
        {{kRead, "read"}, {kMoney, "money"}, {kMessage, "message"}, {kEgress, "egress"}, {kWrite, "write"}, {kDelete, "delete"},
         {kPermission, "permission"}, {kExec, "exec"}}};
    std::string out;
    for (const auto& [bit, name] : names)
        if (c & bit) {
            if (!out.empty()) out += '|';
            out += name;
        }
    return out;
}

bool isDestinationKey(std::string_view path)
{
    static const std::unordered_set<std::string_view> keys = {
        "recipient", "recipients", "to", "cc", "bcc", "email", "emails", "address", "iban", "account", "account_id",
        "url", "uri", "host", "domain", "endpoint", "webhook", "channel", "user", "users", "dest", "destination",
        "target", "phone", "number", "wallet", "payee", "beneficiary", "receiver", "participants", "participant",
        "user_email", "email_address", "to_address", "link", "server", "bucket", "repo", "remote", "member", "members",
        "invitee", "share_with", "owner", "assignee"};
    size_t end = path.size();
    // skip trailing array indices ("recipients/0")
    while (true) {
        const size_t slash = path.rfind('/', end == 0 ? 0 : end - 1);
        std::string_view last = slash == std::string_view::npos ? path.substr(0, end) : path.substr(slash + 1, end - slash - 1);
        bool index = !last.empty();
        for (char c : last) index = index && isDigit(c);
        if (index && slash != std::string_view::npos) {
            end = slash;
            continue;
        }
        return keys.count(toLower(last)) > 0;
    }
}

std::string escapeIndicator(std::string_view text)
{
    static const std::array<std::string_view, 16> markers = {
        "nsenter", "docker.sock", "/proc/1/root", "/proc/1/ns", "chroot /host", "mount /dev/", "unshare ", "setns",
        "--privileged", "capsh", "/var/run/docker", "cgroup/release_agent", "release_agent", "pivot_root", "/host/etc", "kubelet"};
    const std::string low = toLower(text.substr(0, 4096));
    for (std::string_view m : markers)
        if (low.find(m) != std::string::npos) return std::string(m);
    return {};
}

} // namespace chainsight::analysis
