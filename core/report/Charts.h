// The report's pictures, drawn with QPainter into images so the headless command line can make them too: the
// timeline (events per type over the incident window, the kill chain marked) and the execution graph with the
// kill chain highlighted (layout by core/graph). QtGui; needs a QGuiApplication (fonts), any platform.
#pragma once

#include "core/report/ReportData.h"

#include <QImage>

namespace chainsight::report {

QImage timelineChart(const ReportData& data, int width = 1600, int height = 520);
// maxWidth bounds the image; an empty image when the case has no index.
QImage executionGraphImage(const ReportData& data, int maxWidth = 2400);

} // namespace chainsight::report
