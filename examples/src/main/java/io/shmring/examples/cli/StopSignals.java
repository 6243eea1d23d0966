package io.shmring.examples.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * SIGTERM and SIGINT as a request to stop, so a command can finish its work and close its transports before
 * the JVM shuts down (a shutdown hook would race the library's own hooks). A second signal exits at once
 * with status 130. Uses {@code sun.misc.Signal} (module jdk.unsupported) through reflection; where it is
 * missing the JVM's default handling stays and {@link #install} says so.
 */
final class StopSignals
{
    private static final List<String> SIGNALS = List.of("TERM", "INT");
    private static final int EXIT_SECOND_SIGNAL = 130;

    private StopSignals()
    {
    }

    /**
     * @param onFirst run (on the signal thread) at the first SIGTERM or SIGINT.
     * @return true if installed.
     */
    static boolean install(final Runnable onFirst)
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            final Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                new Handler(onFirst));
            for (final String name : SIGNALS)
            {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return false;
        }
    }

    private static final class Handler implements InvocationHandler
    {
        private final Runnable onFirst;
        private boolean signalled;

        Handler(final Runnable onFirst)
        {
            this.onFirst = onFirst;
        }

        @Override
        public synchronized Object invoke(final Object proxy, final Method method, final Object[] args)
        {
            switch (method.getName())
            {
                case "handle":
                    if (signalled)
                    {
                        System.exit(EXIT_SECOND_SIGNAL);
                    }
                    signalled = true;
                    onFirst.run();
                    return null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return "StopSignals.Handler";
            }
        }
    }
}
