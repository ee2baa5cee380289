package dev.parley.common;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * A page of a list from the page number in a link. A negative number means the first page; a number past every
 * possible row is capped so that the row offset still fits the int that JPA takes (the page then comes back empty).
 */
public final class PageRequests {

    private PageRequests() {
    }

    public static PageRequest of(int page, int size, Sort sort) {
        int lastAddressable = Integer.MAX_VALUE / size - 1;
        return PageRequest.of(Math.min(Math.max(0, page), lastAddressable), size, sort);
    }
}
