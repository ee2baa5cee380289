package dev.parley.api;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/** One page of a list: its items, which page (from 0), the page size and how many there are in all. */
public record PageJson<T>(List<T> items, int page, int size, long total) {

    static <S, T> PageJson<T> of(Page<S> page, Function<S, T> mapper) {
        return new PageJson<>(page.getContent().stream().map(mapper).toList(), page.getNumber(), page.getSize(),
                page.getTotalElements());
    }

    static <S, T> PageJson<T> of(List<S> all, int page, int size, Function<S, T> mapper) {
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new PageJson<>(all.subList(from, to).stream().map(mapper).toList(), page, size, all.size());
    }
}
