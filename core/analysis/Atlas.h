// MITRE ATLAS tactics and techniques (ids and names), compiled in from resources/atlas/ so every finding
// can name its techniques without touching the disk. Data: MITRE ATLAS v5.6.0 (release v5.6.1), Apache-2.0.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chainsight::analysis {

struct AtlasTechnique
{
    std::string id;
    std::string name;                // sub-techniques as "Parent: Sub" ("LLM Prompt Injection: Indirect")
    std::vector<std::string> tactics; // tactic names (a sub-technique inherits its parent's)
};

// nullptr when the id is not in the shipped data.
const AtlasTechnique* atlasTechnique(std::string_view id);
std::string atlasVersion();      // "5.6.0"
std::string atlasAttribution();  // "MITRE ATLAS 5.6.0, Copyright ... MITRE, Apache-2.0"
size_t atlasTechniqueCount();

} // namespace chainsight::analysis
