package dev.parley.recording;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each tile of a grid goes on the canvas: 1, 2, 3-4, 5-6, 7-9, 10-12, 13-16, ... tiles in a grid as square as the
 * count allows, equal tiles with even sizes (for yuv420p), the grid centred and a short last row centred too.
 */
final class GridLayout {

    /** One tile's rectangle on the canvas, in pixels. */
    record Tile(int x, int y, int width, int height) {
    }

    private GridLayout() {
    }

    static int columns(int count) {
        int columns = 1;
        while (columns * columns < count) {
            columns++;
        }
        return columns;
    }

    static int rows(int count) {
        int columns = columns(count);
        return (count + columns - 1) / columns;
    }

    static List<Tile> tiles(int count, int width, int height) {
        if (count < 1) {
            throw new IllegalArgumentException("a grid needs at least one tile");
        }
        int columns = columns(count);
        int rows = rows(count);
        int tileWidth = even(width / columns);
        int tileHeight = even(height / rows);
        int top = even((height - rows * tileHeight) / 2);
        List<Tile> tiles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int row = i / columns;
            int inThisRow = Math.min(columns, count - row * columns);
            int left = even((width - inThisRow * tileWidth) / 2);
            tiles.add(new Tile(left + (i % columns) * tileWidth, top + row * tileHeight, tileWidth, tileHeight));
        }
        return tiles;
    }

    private static int even(int value) {
        return value & ~1;
    }
}
