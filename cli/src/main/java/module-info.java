/** The {@code rba} command line: picocli commands over {@code dev.rba.core}'s exported API only. */
module dev.rba.cli {
    requires dev.rba.core;
    requires info.picocli;

    // picocli reads and sets the commands' annotated fields by reflection; core's Json reads the components of the
    // report records (doctor's, say) that the commands hand it
    opens dev.rba.cli to info.picocli, dev.rba.core;
}
