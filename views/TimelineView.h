// The timeline: one lane per agent, events as marks coloured by type, runtime decisions on top of each lane
// (BLOCK as large red squares), token usage as a line. The marks are binned from the case index for the range
// shown, so zoom (wheel, +/-) and pan (right-drag, arrows) re-bin at once at any size of case. Dragging across
// the chart filters the table to that time range; clicking a mark selects its event.
#pragma once

#include "core/store/CaseQueries.h"

#include <QWidget>

#include <memory>
#include <optional>

class QChart;
class QLabel;
class QScatterSeries;
class QLineSeries;
class QDateTimeAxis;
class QCategoryAxis;
class QValueAxis;

namespace chainsight::views {

class CaseContext;
class EventSelection;
class TimelineChartView;

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    TimelineView(CaseContext* context, EventSelection* selection, QWidget* parent = nullptr);
    ~TimelineView() override;

    bool isReady() const { return m_index != nullptr; }
    std::pair<int64_t, int64_t> range() const { return {m_from, m_to}; }
    void setRange(int64_t fromNs, int64_t toNs);
    void resetZoom();
    void zoomBy(double factor, double anchor = 0.5); // anchor: 0 left .. 1 right
    void panBy(double fraction);
    // Shows a time filter band (or none), without emitting rangeSelected.
    void setFilterBand(std::optional<int64_t> fromNs, std::optional<int64_t> toNs);
    int pointCount() const; // marks drawn now (tests)
    bool showsSelection() const; // the selected event is marked on the chart (tests)

signals:
    void rangeSelected(std::optional<int64_t> fromNs, std::optional<int64_t> toNs);

private:
    friend class TimelineChartView;
    void setup();
    void clearChart(); // series and axes gone, and no pointer left to them
    void rebin();
    void followSelection(qint64 rowid, QObject* source);
    void pick(const QPointF& chartValue);
    double toX(int64_t ns) const;
    int64_t fromX(double x) const;
    double laneY(int lane, int slot) const;

    CaseContext* m_context;
    EventSelection* m_selection;
    TimelineChartView* m_view;
    QChart* m_chart;
    QLabel* m_hint;
    QDateTimeAxis* m_axisX = nullptr;
    QCategoryAxis* m_axisY = nullptr;
    std::vector<QScatterSeries*> m_typeSeries; // by EventType
    std::vector<int> m_typeSlot;               // by EventType: row within a lane, -1 when absent
    QScatterSeries* m_allow = nullptr;
    QScatterSeries* m_log = nullptr;
    QScatterSeries* m_constrain = nullptr;
    QScatterSeries* m_block = nullptr;
    QScatterSeries* m_current = nullptr;
    QLineSeries* m_tokens = nullptr;
    std::shared_ptr<const store::CaseIndex> m_index;
    std::vector<uint32_t> m_laneOfAgent; // agent id -> lane (top lane 0)
    int m_lanes = 0, m_slots = 1, m_bins = 0;
    bool m_hasTokens = false;
    int64_t m_from = 0, m_to = 0, m_binNs = 1;
    std::optional<int64_t> m_bandFrom, m_bandTo;
    double m_offsetMs = 0; // shows UTC digits on the local-time axis
};

} // namespace chainsight::views
