// Builds the inspector tree from an EventDetail; see DetailModel.h.
#include "views/models/DetailModel.h"

#include "views/Theme.h"

#include <QColor>
#include <QFont>

namespace chainsight::views {

struct DetailModel::Item
{
    QString field, value;
    int64_t rowid = 0; // an event this row leads to
    bool section = false;
    QColor color;
    Item* parent = nullptr;
    std::vector<std::unique_ptr<Item>> children;

    Item* add(QString f, QString v = {}, int64_t r = 0)
    {
        auto it = std::make_unique<Item>();
        it->field = std::move(f);
        it->value = std::move(v);
        it->rowid = r;
        it->parent = this;
        children.push_back(std::move(it));
        return children.back().get();
    }
    int row() const
    {
        if (!parent) return 0;
        for (size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this) return static_cast<int>(i);
        return 0;
    }
};

namespace {
// The fields every event has are shown typed under "Event"; the rest is content.
bool isCommonField(const std::string& k)
{
    static const char* common[] = {"id", "ts", "type", "agent", "session", "identity", "parent", "trace_id", "span_id"};
    for (const char* c : common)
        if (k == c) return true;
    return false;
}

void addJson(DetailModel::Item* parent, const QString& key, const json::Value& v)
{
    if (v.isObject()) {
        auto* it = parent->add(key, QStringLiteral("{%1}").arg(v.members().size()));
        for (const auto& [k, child] : v.members()) addJson(it, fromStd(k), child);
    } else if (v.isArray()) {
        auto* it = parent->add(key, QStringLiteral("[%1]").arg(v.items().size()));
        for (size_t i = 0; i < v.items().size(); ++i) addJson(it, QString::number(i), v.items()[i]);
    } else if (v.isNull()) {
        parent->add(key, QStringLiteral("null"));
    } else {
        parent->add(key, fromStd(v.scalarText()));
    }
}

QString rowLine(EventType type, const std::string& summary) { return QStringLiteral("%1 — %2").arg(typeName(type), fromStd(summary)); }
} // namespace

DetailModel::DetailModel(QObject* parent) : QAbstractItemModel(parent), m_root(std::make_unique<Item>()) {}
DetailModel::~DetailModel() = default;

void DetailModel::setDetail(const store::EventDetail* d)
{
    beginResetModel();
    m_root = std::make_unique<Item>();
    if (d) {
        const Event& e = d->event;
        auto section = [&](const QString& title) {
            Item* s = m_root->add(title);
            s->section = true;
            return s;
        };
        Item* ev = section(tr("Event"));
        ev->add(tr("id"), fromStd(e.id));
        ev->add(tr("time"), timeLong(e.tsNs));
        ev->add(tr("type"), typeName(e.type))->color = typeColor(e.type);
        ev->add(tr("agent"), fromStd(e.agent));
        ev->add(tr("session"), fromStd(e.session));
        if (!e.identity.empty()) ev->add(tr("identity"), fromStd(e.identity));
        if (!e.tool.empty()) ev->add(tr("tool"), fromStd(e.tool));
        if (!e.callId.empty()) ev->add(tr("call_id"), fromStd(e.callId));
        if (!e.parent.empty()) ev->add(tr("parent"), fromStd(e.parent), d->parentChain.empty() ? 0 : d->parentChain.front().rowid);
        if (!e.traceId.empty()) ev->add(tr("trace_id"), fromStd(e.traceId));
        if (!e.spanId.empty()) ev->add(tr("span_id"), fromStd(e.spanId));

        Item* content = section(tr("Content"));
        if (d->fields.isObject()) {
            for (const auto& [k, v] : d->fields.members())
                if (!isCommonField(k)) addJson(content, fromStd(k), v);
        } else {
            content->add(tr("(not JSON)"), fromStd(e.json));
        }

        if (!d->decisions.empty()) {
            Item* dec = section(tr("Runtime decisions"));
            for (const auto& di : d->decisions) {
                const Decision& dd = di.decision;
                Item* it = dec->add(verdictText(dd.verdict), QStringLiteral("%1 — %2").arg(fromStd(dd.policy), fromStd(dd.reason)));
                it->color = verdictColor(dd.verdict);
                it->add(tr("time"), timeLong(dd.tsNs));
                it->add(tr("seq"), QString::number(dd.seq));
                it->add(tr("signature"), dd.valid ? tr("valid (key %1)").arg(fromStd(dd.keyId))
                                                  : tr("FAILED: %1 (key %2)").arg(fromStd(dd.failure), fromStd(dd.keyId)))
                    ->color = dd.valid ? QColor() : verdictColor(Verdict::Block);
                it->add(tr("hash"), fromStd(dd.hash));
            }
        }

        Item* prov = section(tr("Provenance"));
        if (e.type == EventType::Retrieval && d->fields.isObject()) {
            if (const json::Value* src = d->fields.find("source")) {
                Item* s = prov->add(tr("retrieved from"), src->isObject() ? fromStd(std::string(src->str("uri"))) : fromStd(src->scalarText()));
                if (src->isObject())
                    for (const auto& [k, v] : src->members()) addJson(s, fromStd(k), v);
            }
        }
        if (d->parentChain.empty()) {
            prov->add(tr("caused by"), e.parent.empty() ? tr("(no parent: a root event)") : tr("%1 (not in the case)").arg(fromStd(e.parent)));
        } else {
            Item* chain = prov->add(tr("caused by"), tr("%1 step(s) back to the root").arg(d->parentChain.size()));
            for (const Event& p : d->parentChain) chain->add(fromStd(p.id), rowLine(p.type, p.summary), p.rowid)->color = typeColor(p.type);
        }
        if (!d->children.empty()) {
            Item* kids = prov->add(tr("led to"), tr("%1 event(s)").arg(d->children.size()));
            for (const auto& c : d->children) kids->add(fromStd(c.eid), rowLine(c.type, c.summary), c.rowid)->color = typeColor(c.type);
        }

        Item* evid = section(tr("Evidence"));
        evid->add(tr("bundle"), fromStd(d->bundleId));
        evid->add(tr("file"), d->evidencePath.empty() ? tr("(synthesised)") : QStringLiteral("%1:%2").arg(fromStd(d->evidencePath)).arg(e.line));
        if (!d->evidenceSha256.empty()) evid->add(tr("file SHA-256"), fromStd(d->evidenceSha256));
        evid->add(tr("event SHA-256"), fromStd(d->sha256));
        if (!d->blobSha256.empty())
            evid->add(tr("blob"), d->blobBytes >= 0 ? tr("%1 (%2 bytes)").arg(fromStd(d->blobSha256)).arg(d->blobBytes)
                                                    : tr("%1 (not in the case)").arg(fromStd(d->blobSha256)));
    }
    endResetModel();
}

QModelIndex DetailModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent)) return {};
    const Item* p = parent.isValid() ? static_cast<Item*>(parent.internalPointer()) : m_root.get();
    if (row < 0 || row >= static_cast<int>(p->children.size())) return {};
    return createIndex(row, column, p->children[static_cast<size_t>(row)].get());
}

QModelIndex DetailModel::parent(const QModelIndex& child) const
{
    if (!child.isValid()) return {};
    const Item* it = static_cast<Item*>(child.internalPointer());
    Item* p = it->parent;
    if (!p || p == m_root.get()) return {};
    return createIndex(p->row(), 0, p);
}

int DetailModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0) return 0;
    const Item* p = parent.isValid() ? static_cast<Item*>(parent.internalPointer()) : m_root.get();
    return static_cast<int>(p->children.size());
}

int DetailModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant DetailModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()) return {};
    const Item* it = static_cast<Item*>(index.internalPointer());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case Qt::EditRole:
        return index.column() == Field ? it->field : it->value;
    case Qt::ForegroundRole:
        if (it->color.isValid() && (index.column() == Value || it->section == false)) return it->color;
        return {};
    case Qt::FontRole:
        if (it->section || it->rowid) {
            QFont f;
            f.setBold(it->section);
            f.setUnderline(it->rowid != 0 && index.column() == Value);
            return f;
        }
        return {};
    case RowidRole:
        return QVariant::fromValue<qint64>(it->rowid);
    case SectionRole:
        return it->section;
    default:
        return {};
    }
}

QVariant DetailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) return section == Field ? tr("Field") : tr("Value");
    return {};
}

} // namespace chainsight::views
