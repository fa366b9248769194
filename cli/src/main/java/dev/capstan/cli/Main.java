package dev.capstan.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point. Every failure a user can cause ends in one line {@code capstan: error: …} and a non-zero
 * exit; a stack trace only with {@code --debug}.
 */
@Command(name = "capstan", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.Version.class,
        description = "A declarative GitOps orchestrator: .cap files in Git become running containers.",
        subcommands = {UpCommand.class, CheckCommand.class, FmtCommand.class, ExportCommand.class, ImportCommand.class,
                GetCommand.class,
                DescribeCommand.class, LogsCommand.class, StatusCommand.class, HistoryCommand.class, SimulateCommand.class,
                PlanCommand.class, AgentCommand.class, ImageCommand.class, PolicyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Verbose logs and full stack traces.")
    void debug(boolean on) {
        Main.debug = on;
        if (on) {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            ctx.getLogger("dev.capstan").setLevel(Level.DEBUG);
        }
    }

    static volatile boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (debug) {
                e.printStackTrace(err);
            }
            String msg = e instanceof UserError ? e.getMessage() : describe(e);
            err.println("capstan: error: " + msg);
            if (!debug && !(e instanceof UserError)) {
                err.println("capstan: run again with --debug for details");
            }
            err.flush();
            return e instanceof UserError u ? u.exitCode() : 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("capstan: error: " + e.getMessage());
            err.println("capstan: see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return 2;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        Throwable c = e;
        while ((msg == null || msg.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            msg = c.getMessage();
        }
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    /** Reads the version from the jar's manifest, falling back to "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"capstan " + (v == null ? "dev" : v)};
        }
    }
}
