# shellcheck shell=bash
# Sourced by the bin/ scripts. Sets JPMEM_JAVA to the java launcher of a JDK 25 or newer:
#   1. $JAVA_HOME, if it is 25 or newer;
#   2. else the newest JDK 25+ among the installed JVMs (/usr/lib/jvm, /usr/java, /opt/java,
#      /opt/jdk*, ~/.sdkman/candidates/java, ~/.jdks, /Library/Java/JavaVirtualMachines);
#   3. else the java on PATH, if it is 25 or newer;
#   4. else prints what to install and exits 2.
# The Maven build finds its JDK the same way through maven-toolchains-plugin (see pom.xml).

jpmem_required_java=25

jpmem_java_major() { # prints the major version of the JDK at $1, or nothing
    local home=$1 version
    [ -x "$home/bin/java" ] || return 0
    if [ -f "$home/release" ]; then # read with builtins: no process per JDK (every bin/ start pays this)
        local line
        while IFS= read -r line; do
            case "$line" in
                JAVA_VERSION=*) version=${line#JAVA_VERSION=\"}; version=${version%%\"*}; break ;;
            esac
        done < "$home/release"
    fi
    if [ -z "${version:-}" ]; then
        version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    fi
    version=${version#1.}
    printf '%s\n' "${version%%[.+-]*}"
}

jpmem_find_java() {
    local home major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(jpmem_java_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge "$jpmem_required_java" ]; then
            JPMEM_JAVA="$JAVA_HOME/bin/java"
            return 0
        fi
    fi
    for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
                /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$home" ] || continue
        major=$(jpmem_java_major "$home")
        if [ -n "$major" ] && [ "$major" -ge "$jpmem_required_java" ] && [ "$major" -gt "$best_major" ]; then
            best="$home" best_major=$major
        fi
    done
    if [ -n "$best" ]; then
        JPMEM_JAVA="$best/bin/java"
        return 0
    fi
    if command -v java >/dev/null 2>&1; then
        home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
        major=$(jpmem_java_major "$home")
        if [ -n "$major" ] && [ "$major" -ge "$jpmem_required_java" ]; then
            JPMEM_JAVA="$home/bin/java"
            return 0
        fi
    fi
    {
        echo "jpmem needs a JDK $jpmem_required_java or newer, and found none."
        echo "  JAVA_HOME=${JAVA_HOME:-(unset)}; java on PATH: $(command -v java || echo none)"
        echo "Install one (for example Eclipse Temurin $jpmem_required_java, or your distribution's openjdk-$jpmem_required_java-jdk)"
        echo "under /usr/lib/jvm, or point JAVA_HOME at it."
    } >&2
    exit 2
}

jpmem_find_java
