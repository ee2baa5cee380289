package dev.parley.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.parley.audit.AuditLog;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.bind.annotation.RestController;

/**
 * The layering rules of docs/architecture.md, checked on the main classes so a change that breaks them fails the
 * build: the relay is plain Java; features do not depend on each other in circles; only the meeting feature talks to
 * the relay, and only through the relay's API (its root package); controllers go through services.
 */
@AnalyzeClasses(packages = "dev.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule relayIsPlainJava = noClasses().that().resideInAPackage("dev.parley.relay..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..", "io.micrometer..")
            .because("the relay is a library tested without Spring; the web app wires it in one configuration class");

    @ArchTest
    static final ArchRule relayDependsOnNothingOfTheWebApp = noClasses().that().resideInAPackage("dev.parley.relay..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.parley.accounts..", "dev.parley.admin..",
                    "dev.parley.audit..", "dev.parley.meeting..", "dev.parley.rooms..", "dev.parley.web..",
                    "dev.parley.common..", "dev.parley.recording..");

    @ArchTest
    static final ArchRule featuresAreFreeOfCycles = slices().matching("dev.parley.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheMeetingTalksToTheRelay = noClasses().that().resideInAnyPackage("dev.parley.accounts..",
                    "dev.parley.admin..", "dev.parley.audit..", "dev.parley.rooms..", "dev.parley.web..",
                    "dev.parley.common..", "dev.parley.recording..")
            .should().dependOnClassesThat().resideInAPackage("dev.parley.relay..")
            .because("the web app reaches the relay through the meeting feature only");

    @ArchTest
    static final ArchRule recordingWorksOnFilesNotOnTheMeeting = noClasses().that()
            .resideInAPackage("dev.parley.recording..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.parley.meeting..", "dev.parley.relay..")
            .because("recording's media tools (probe, compose, repair) work on plain files and processes; the meeting "
                    + "drives recording, so the dependency runs from meeting to recording only");

    @ArchTest
    static final ArchRule theWebAppUsesTheRelayThroughItsApiOnly = noClasses().that().resideOutsideOfPackage(
                    "dev.parley.relay..")
            .should().dependOnClassesThat().resideInAPackage("dev.parley.relay.*..")
            .because("the relay's public API is its root package (Relay, RelayConfig, TransportHandle, ...); "
                    + "transports, routers and codecs belong to its loop thread");

    @ArchTest
    static final ArchRule theRelayFacadeIsOnTop = noClasses().that().resideInAPackage("dev.parley.relay.*..")
            .should().dependOnClassesThat().resideInAPackage("dev.parley.relay")
            .because("the facade sits on top of the relay's layers; nothing inside depends on it");

    @ArchTest
    static final ArchRule relayLayers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("facade").definedBy("dev.parley.relay")
            .layer("negotiation").definedBy("dev.parley.relay.negotiation..")
            .layer("routing").definedBy("dev.parley.relay.router..")
            .layer("transport").definedBy("dev.parley.relay.transport..")
            .layer("ice").definedBy("dev.parley.relay.ice..")
            .layer("bwe").definedBy("dev.parley.relay.bwe..")
            .layer("sdp").definedBy("dev.parley.relay.sdp..")
            .whereLayer("facade").mayNotBeAccessedByAnyLayer()
            .whereLayer("negotiation").mayOnlyBeAccessedByLayers("facade")
            .whereLayer("routing").mayOnlyBeAccessedByLayers("negotiation", "facade")
            .whereLayer("transport").mayOnlyBeAccessedByLayers("routing", "negotiation", "facade")
            .whereLayer("ice").mayOnlyBeAccessedByLayers("transport", "routing", "negotiation", "facade")
            .whereLayer("bwe").mayOnlyBeAccessedByLayers("transport", "routing")
            .whereLayer("sdp").mayOnlyBeAccessedByLayers("negotiation", "facade")
            .because("codecs -> ICE -> per-peer transport -> routing -> negotiation -> facade; SDP only at the edge; "
                    + "bandwidth estimation serves the transport and the router");

    @ArchTest
    static final ArchRule bandwidthEstimationUsesOnlyTheCodecs = classes().that()
            .resideInAPackage("dev.parley.relay.bwe..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.parley.relay.bwe..", "dev.parley.relay.rtcp..",
                    "dev.parley.relay.rtp..", "dev.parley.relay.util..", "java..")
            .because("the estimator is arithmetic over feedback: the RTP and RTCP codecs and the byte helpers, nothing "
                    + "else of the relay");

    @ArchTest
    static final ArchRule relayPackagesAreFreeOfCycles = slices().matching("dev.parley.relay.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule oneLoggingFacade = noClasses().should().dependOnClassesThat()
            .areAssignableTo(System.Logger.class).orShould().dependOnClassesThat().resideInAPackage("java.util.logging..")
            .because("everything logs through SLF4J, so one configuration governs levels and format");

    @ArchTest
    static final ArchRule noStandardStreams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule controllersUseServices = classes().that().areAnnotatedWith(Controller.class)
            .or().areAnnotatedWith(RestController.class)
            .should().onlyDependOnClassesThat().haveSimpleNameNotEndingWith("Repository")
            .because("controllers stay thin: the rules and transactions live in services");

    private static final DescribedPredicate<JavaMethod> RECORD_AN_AUDIT_ENTRY =
            DescribedPredicate.describe("record an audit entry of the signed-in user", method ->
                    method.getMethodCallsFromSelf().stream().anyMatch(call ->
                            call.getTargetOwner().isEquivalentTo(AuditLog.class)
                                    && call.getName().equals("record")));

    /**
     * Runs its work through a TransactionTemplate: ArchUnit counts the calls inside the template's lambda as the
     * method's own. Services that hash a password first (a hash may wait its turn, and must not hold a connection
     * meanwhile) open their transaction this way, after the hash.
     */
    private static final ArchCondition<JavaMethod> RUN_IN_A_TRANSACTION_TEMPLATE =
            new ArchCondition<>("run in a TransactionTemplate") {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    boolean templated = method.getMethodCallsFromSelf().stream().anyMatch(call ->
                            call.getTargetOwner().isAssignableTo(TransactionOperations.class)
                                    && call.getName().startsWith("execute"));
                    events.add(new SimpleConditionEvent(method, templated, method.getFullName()
                            + (templated ? " runs" : " does not run") + " in a TransactionTemplate"));
                }
            };

    @ArchTest
    static final ArchRule auditEntriesCommitWithTheirChange = methods().that(RECORD_AN_AUDIT_ENTRY)
            .should().beAnnotatedWith(Transactional.class).orShould(RUN_IN_A_TRANSACTION_TEMPLATE)
            .because("an audit entry and the change it describes commit together or not at all; CrashSafetyTest "
                    + "once found a room without its ROOM_CREATED after a kill, from a method that had lost its "
                    + "@Transactional");
}
