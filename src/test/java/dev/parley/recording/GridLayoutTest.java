package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.recording.GridLayout.Tile;
import org.junit.jupiter.api.Test;

class GridLayoutTest {

    @Test
    void gridsGrowOneColumnOrRowAtATime() {
        int[][] countColumnsRows = {{1, 1, 1}, {2, 2, 1}, {3, 2, 2}, {4, 2, 2}, {5, 3, 2}, {6, 3, 2}, {7, 3, 3},
                {9, 3, 3}, {10, 4, 3}, {12, 4, 3}, {13, 4, 4}, {16, 4, 4}, {17, 5, 4}};
        for (int[] c : countColumnsRows) {
            assertThat(GridLayout.columns(c[0])).as("columns for %d", c[0]).isEqualTo(c[1]);
            assertThat(GridLayout.rows(c[0])).as("rows for %d", c[0]).isEqualTo(c[2]);
            assertThat(GridLayout.tiles(c[0], 1280, 720)).hasSize(c[0]);
        }
    }

    @Test
    void oneTileFillsTheCanvasAndTwoSplitItSideBySide() {
        assertThat(GridLayout.tiles(1, 1280, 720)).containsExactly(new Tile(0, 0, 1280, 720));
        assertThat(GridLayout.tiles(2, 1280, 720)).containsExactly(new Tile(0, 0, 640, 720),
                new Tile(640, 0, 640, 720));
    }

    @Test
    void aShortLastRowIsCentred() {
        assertThat(GridLayout.tiles(3, 1280, 720)).containsExactly(new Tile(0, 0, 640, 360),
                new Tile(640, 0, 640, 360), new Tile(320, 360, 640, 360));
        // 1280 / 3 = 426.67: tiles of 426, the grid centred (left edge rounded down to even) and the last row centred.
        assertThat(GridLayout.tiles(5, 1280, 720)).containsExactly(new Tile(0, 0, 426, 360),
                new Tile(426, 0, 426, 360), new Tile(852, 0, 426, 360), new Tile(214, 360, 426, 360),
                new Tile(640, 360, 426, 360));
        assertThat(GridLayout.tiles(7, 1280, 720).get(6)).isEqualTo(new Tile(426, 480, 426, 240));
    }

    @Test
    void tilesHaveEvenSizesAndPositionsAndStayOnTheCanvas() {
        for (int count = 1; count <= 25; count++) {
            for (Tile t : GridLayout.tiles(count, 1280, 720)) {
                assertThat(t.width() % 2 + t.height() % 2 + t.x() % 2 + t.y() % 2).isZero();
                assertThat(t.x() + t.width()).isLessThanOrEqualTo(1280);
                assertThat(t.y() + t.height()).isLessThanOrEqualTo(720);
            }
        }
        assertThatThrownBy(() -> GridLayout.tiles(0, 1280, 720)).isInstanceOf(IllegalArgumentException.class);
    }
}
