package dev.rba.cli;

import picocli.CommandLine.IVersionProvider;

/** Version line from the jar manifest, plus the Java runtime that runs it. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = RbaCommand.class.getPackage().getImplementationVersion();
        return new String[]{"rba " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
