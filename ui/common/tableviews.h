#pragma once

class QTableView;

namespace bd::ui {

// A table of rows picked one at a time, at a fixed height each (large models stay fast:
// no row is ever measured), one line a row, without the row-number header.
void useFixedRowTable(QTableView *table);

} // namespace bd::ui
