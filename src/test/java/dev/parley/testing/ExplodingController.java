package dev.parley.testing;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Test-only endpoint (component-scanned from test classes) that fails, to check the 500 page shows no internals. */
@Controller
class ExplodingController {

    @GetMapping("/test/explode")
    String explode() {
        throw new IllegalStateException("secret detail");
    }
}
