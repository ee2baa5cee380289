package dev.parley.api;

/** Marks the REST API's controllers, so that {@link ApiProblems} answers their errors and no page's. */
interface ApiController {
}
