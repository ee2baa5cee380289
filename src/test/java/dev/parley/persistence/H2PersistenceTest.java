package dev.parley.persistence;

import dev.parley.testing.ParleyWebTest;

/** The persistence contract on the embedded H2 database that Parley uses by default. */
@ParleyWebTest
class H2PersistenceTest extends PersistenceContract {
}
