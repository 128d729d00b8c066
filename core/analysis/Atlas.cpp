#include "core/analysis/Atlas.h"

#include "core/json/Json.h"

#include <map>

namespace chainsight::analysis {

extern const std::string_view kAtlasJson;

namespace {
struct AtlasData
{
    std::string version, attribution;
    std::map<std::string, AtlasTechnique, std::less<>> techniques;
};

const AtlasData& data()
{
    static const AtlasData d = [] {
        AtlasData out;
        json::Parser parser;
        auto root = parser.parse(kAtlasJson);
        if (!root || !root->isObject()) return out;
        out.version = root->str("version");
        out.attribution = "MITRE ATLAS " + out.version + ", " + std::string(root->str("copyright")) + ", " + std::string(root->str("license"));
        std::map<std::string, std::string> tacticNames;
        if (const json::Value* ts = root->find("tactics"); ts && ts->isArray())
            for (const auto& t : ts->items()) tacticNames[std::string(t.str("id"))] = t.str("name");
        std::map<std::string, std::string> parents;
        if (const json::Value* ts = root->find("techniques"); ts && ts->isArray()) {
            for (const auto& t : ts->items()) {
                AtlasTechnique tech;
                tech.id = t.str("id");
                tech.name = t.str("name");
                if (const json::Value* tac = t.find("tactics"); tac && tac->isArray())
                    for (const auto& id : tac->items())
                        if (id.isString()) tech.tactics.push_back(tacticNames.count(id.asString()) ? tacticNames[id.asString()] : id.asString());
                if (!t.str("parent").empty()) parents[tech.id] = t.str("parent");
                out.techniques[tech.id] = std::move(tech);
            }
        }
        for (const auto& [id, parent] : parents) {
            auto p = out.techniques.find(parent);
            if (p == out.techniques.end()) continue;
            AtlasTechnique& t = out.techniques[id];
            t.name = p->second.name + ": " + t.name;
            if (t.tactics.empty()) t.tactics = p->second.tactics;
        }
        return out;
    }();
    return d;
}
} // namespace

const AtlasTechnique* atlasTechnique(std::string_view id)
{
    const auto& t = data().techniques;
    auto it = t.find(id);
    return it == t.end() ? nullptr : &it->second;
}

std::string atlasVersion() { return data().version; }
std::string atlasAttribution() { return data().attribution; }
size_t atlasTechniqueCount() { return data().techniques.size(); }

} // namespace chainsight::analysis
