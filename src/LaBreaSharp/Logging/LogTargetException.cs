namespace LaBreaSharp.Logging;

/// <summary>A log destination cannot be used (the log file cannot be written, there is no syslog
/// socket); raised when the event log opens, before any packet is handled. The message is one
/// sentence for stderr; the machine, not the command line, is what needs fixing.</summary>
public sealed class LogTargetException(string message, Exception? inner = null) : Exception(message, inner);
